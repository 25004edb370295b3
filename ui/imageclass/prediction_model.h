#pragma once
// The predictions of a run as a list model: one row per image, its thumbnail as the
// decoration and "label (p %)" as the text; the scores and the heat map by role.
#include "ui/imageclass/prediction_batch.h"

#include <QAbstractListModel>

namespace dw {

class PredictionModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role {
        PathRole = Qt::UserRole + 1,  // QString: the image file
        TopLabelRole,                 // QString: the best label
        TopProbabilityRole,           // double
        LabelsRole,                   // QStringList, best first
        ProbabilitiesRole,            // QVariantList of double, best first
        HeatMapRole,                  // QString: Grad-CAM overlay file, may be empty
    };

    explicit PredictionModel(QObject *parent = nullptr);

    void setBatch(PredictionBatch batch);
    void clear();
    const PredictionBatch &batch() const { return m_batch; }

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    // One line per image: path, label1, p1, label2, p2, ... (the CLI's CSV layout).
    QString toCsv() const;
    QString toJson() const;  // the task result's JSON, as the CLI and REST API write it

private:
    PredictionBatch m_batch;
};

}  // namespace dw
