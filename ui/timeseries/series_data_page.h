#pragma once
// The Data tab of the time-series workspace: what was imported, in words (the ImportReport),
// the first rows in a table, and every numeric column plotted over time.
#include "ui/timeseries/imported_csv.h"

#include <QWidget>

class QLabel;
class QTableView;

namespace dw {

class SeriesPlot;
class TablePreviewModel;

class SeriesDataPage : public QWidget {
    Q_OBJECT
public:
    explicit SeriesDataPage(QWidget *parent = nullptr);

    void setCsv(const ImportedCsv &csv);
    // Before anything was imported (or to say what to do).
    void showHint(const QString &text);

    QLabel *summary() const { return m_summary; }
    QTableView *tableView() const { return m_view; }
    TablePreviewModel *previewModel() const { return m_model; }
    SeriesPlot *plot() const { return m_plot; }

private:
    QLabel *m_summary = nullptr;
    QTableView *m_view = nullptr;
    TablePreviewModel *m_model = nullptr;
    SeriesPlot *m_plot = nullptr;
};

}  // namespace dw
