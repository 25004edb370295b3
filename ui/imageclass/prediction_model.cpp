#include "ui/imageclass/prediction_model.h"

#include <QDir>
#include <QFileInfo>
#include <QImageReader>
#include <QJsonDocument>
#include <QPixmap>

namespace dw {

QImage PredictionBatch::readThumbnail(const QString &path, int side)
{
    QImageReader reader(path);
    reader.setAutoTransform(true);  // EXIF orientation, as the classifier sees it
    const QSize size = reader.size();
    if (size.isValid())
        reader.setScaledSize(size.scaled(side, side, Qt::KeepAspectRatio));
    return reader.read();
}

PredictionModel::PredictionModel(QObject *parent) : QAbstractListModel(parent)
{}

void PredictionModel::setBatch(PredictionBatch batch)
{
    beginResetModel();
    m_batch = std::move(batch);
    endResetModel();
}

void PredictionModel::clear()
{
    setBatch({});
}

int PredictionModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_batch.result.items.size());
}

QVariant PredictionModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ClassificationResult::Item &item = m_batch.result.items.at(index.row());
    const bool scored = !item.top.isEmpty();
    switch (role) {
    case Qt::DisplayRole:
        return scored ? QStringLiteral("%1\n%2 %")
                            .arg(item.top.first().label)
                            .arg(item.top.first().probability * 100.0, 0, 'f', 1)
                      : tr("unreadable");
    case Qt::ToolTipRole:
        return QDir::toNativeSeparators(item.input);
    case Qt::DecorationRole: {
        const QImage thumb = m_batch.thumbnails.value(index.row());
        return thumb.isNull() ? QVariant() : QVariant(QPixmap::fromImage(thumb));
    }
    case PathRole:
        return item.input;
    case TopLabelRole:
        return scored ? item.top.first().label : QString();
    case TopProbabilityRole:
        return scored ? item.top.first().probability : 0.0;
    case LabelsRole: {
        QStringList labels;
        for (const LabelScore &score : item.top)
            labels << score.label;
        return labels;
    }
    case ProbabilitiesRole: {
        QVariantList probabilities;
        for (const LabelScore &score : item.top)
            probabilities << score.probability;
        return probabilities;
    }
    case HeatMapRole:
        return item.heatMapPath;
    default:
        return {};
    }
}

QHash<int, QByteArray> PredictionModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(PathRole, "path");
    names.insert(TopLabelRole, "topLabel");
    names.insert(TopProbabilityRole, "topProbability");
    names.insert(LabelsRole, "labels");
    names.insert(ProbabilitiesRole, "probabilities");
    names.insert(HeatMapRole, "heatMap");
    return names;
}

QString PredictionModel::toCsv() const
{
    // Quotes only where a field needs them (commas, quotes, line breaks in file names).
    const auto field = [](const QString &text) {
        if (!text.contains(QLatin1Char(',')) && !text.contains(QLatin1Char('"')) && !text.contains(QLatin1Char('\n')))
            return text;
        QString quoted = text;
        quoted.replace(QLatin1String("\""), QLatin1String("\"\""));
        return QLatin1Char('"') + quoted + QLatin1Char('"');
    };
    int top = 0;
    for (const ClassificationResult::Item &item : m_batch.result.items)
        top = std::max(top, int(item.top.size()));
    QStringList header{QStringLiteral("path")};
    for (int k = 1; k <= top; ++k)
        header << QStringLiteral("label%1").arg(k) << QStringLiteral("p%1").arg(k);
    QString csv = header.join(QLatin1Char(',')) + QLatin1Char('\n');
    for (const ClassificationResult::Item &item : m_batch.result.items) {
        QStringList row{field(item.input)};
        for (const LabelScore &score : item.top)
            row << field(score.label) << QString::number(score.probability, 'g', 6);
        csv += row.join(QLatin1Char(',')) + QLatin1Char('\n');
    }
    return csv;
}

QString PredictionModel::toJson() const
{
    return QString::fromUtf8(
        QJsonDocument(taskResultToJson(TaskResult(m_batch.result))).toJson(QJsonDocument::Indented));
}

}  // namespace dw
