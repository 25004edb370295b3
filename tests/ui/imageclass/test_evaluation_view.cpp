// EvaluationView: a known confusion matrix (made with core's ClassificationMetrics) is shown
// cell by cell, as counts and row-normalised, with the class names on both axes; the
// per-class table holds the precision/recall/F1 values and sorts numerically; the gallery
// lists the misclassified images of a predictions file and shows one on click.
#include "core/ml/classification_metrics.h"
#include "ui/imageclass/evaluation_view.h"

#include <QDir>
#include <QFile>
#include <QHeaderView>
#include <QImage>
#include <QLabel>
#include <QListWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <qcustomplot.h>

using namespace dw;

namespace {

// truth x prediction counts: cat 5/1/0, dog 2/3/1, fox 0/0/4 (16 images, 12 right).
const std::vector<std::vector<int>> kMatrix{{5, 1, 0}, {2, 3, 1}, {0, 0, 4}};

QJsonObject knownReport()
{
    ClassificationMetrics metrics({QStringLiteral("cat"), QStringLiteral("dog"), QStringLiteral("fox")});
    for (int truth = 0; truth < 3; ++truth) {
        for (int predicted = 0; predicted < 3; ++predicted) {
            for (int n = 0; n < kMatrix[truth][predicted]; ++n) {
                std::vector<float> p(3, 0.1f);
                p[predicted] = 0.8f;
                metrics.add(truth, p);
            }
        }
    }
    return metrics.report().toJson();
}

}  // namespace

class TestEvaluationView : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void showsTheCountsOfAKnownMatrix();
    void rowNormalised();
    void classNamesOnBothAxes();
    void perClassTable();
    void summary();
    void scoresWithoutPredictionsSayWhyNoImages();
    void misclassifiedGallery();
    void summaryNamesWhatWasEvaluated();
    void clickingACellShowsItsImages();
};

void TestEvaluationView::showsTheCountsOfAKnownMatrix()
{
    EvaluationView view;
    EvaluationData data;
    data.report = knownReport();
    view.setData(data);
    QCOMPARE(view.classes(), (QStringList{QStringLiteral("cat"), QStringLiteral("dog"), QStringLiteral("fox")}));
    auto *map = qobject_cast<QCPColorMap *>(view.matrixPlot()->plottable(0));
    QVERIFY(map);
    for (int t = 0; t < 3; ++t) {
        for (int p = 0; p < 3; ++p) {
            QCOMPARE(view.cellText(t, p), QString::number(kMatrix[t][p]));
            QCOMPARE(map->data()->cell(p, t), double(kMatrix[t][p]));  // x: predicted, y: truth
        }
    }
    // The numbers written in the cells are the counts.
    QStringList written;
    for (int i = 0; i < view.matrixPlot()->itemCount(); ++i)
        if (auto *text = qobject_cast<QCPItemText *>(view.matrixPlot()->item(i)))
            written << text->text();
    QCOMPARE(written.size(), 9);
    QVERIFY(written.contains(QStringLiteral("5")) && written.contains(QStringLiteral("4")));
}

void TestEvaluationView::rowNormalised()
{
    EvaluationView view;
    EvaluationData data;
    data.report = knownReport();
    view.setData(data);
    view.setNormalised(true);
    QCOMPARE(view.cellText(1, 0), QStringLiteral("0.33"));  // 2 of 6 dogs taken for cats
    QCOMPARE(view.cellText(2, 2), QStringLiteral("1.00"));
    QCOMPARE(view.cellValue(0, 0), 5.0 / 6.0);
    auto *map = qobject_cast<QCPColorMap *>(view.matrixPlot()->plottable(0));
    QCOMPARE(map->data()->cell(0, 1), 2.0 / 6.0);
    QCOMPARE(map->dataRange().upper, 1.0);
}

void TestEvaluationView::classNamesOnBothAxes()
{
    EvaluationView view;
    EvaluationData data;
    data.report = knownReport();
    view.setData(data);
    for (QCPAxis *axis : {view.matrixPlot()->xAxis, view.matrixPlot()->yAxis}) {
        auto ticker = axis->ticker().dynamicCast<QCPAxisTickerText>();
        QVERIFY(ticker);
        QCOMPARE(ticker->ticks().value(0), QStringLiteral("cat"));
        QCOMPARE(ticker->ticks().value(2), QStringLiteral("fox"));
    }
}

void TestEvaluationView::perClassTable()
{
    EvaluationView view;
    EvaluationData data;
    data.report = knownReport();
    view.setData(data);
    QTableWidget *table = view.table();
    QCOMPARE(table->rowCount(), 3);
    // dog: precision 3/4, recall 3/6, support 6.
    int dog = -1;
    for (int r = 0; r < 3; ++r)
        if (table->item(r, 0)->text() == QLatin1String("dog"))
            dog = r;
    QVERIFY(dog >= 0);
    QCOMPARE(table->item(dog, 1)->text(), QStringLiteral("0.750"));
    QCOMPARE(table->item(dog, 2)->text(), QStringLiteral("0.500"));
    QCOMPARE(table->item(dog, 3)->text(), QStringLiteral("0.600"));
    QCOMPARE(table->item(dog, 4)->text(), QStringLiteral("6"));
    // Sorting by recall is numeric: dog (0.5) < cat (0.833) < fox (1).
    table->sortItems(2, Qt::AscendingOrder);
    QCOMPARE(table->item(0, 0)->text(), QStringLiteral("dog"));
    QCOMPARE(table->item(2, 0)->text(), QStringLiteral("fox"));
}

void TestEvaluationView::summary()
{
    EvaluationView view;
    EvaluationData data;
    data.report = knownReport();
    view.setData(data);
    QVERIFY2(view.summaryText().contains(QLatin1String("Top-1 75.0 %")), qPrintable(view.summaryText()));
    QVERIFY2(view.summaryText().contains(QLatin1String("16 images")), qPrintable(view.summaryText()));
}

void TestEvaluationView::scoresWithoutPredictionsSayWhyNoImages()
{
    // An evaluation.json without its predictions (as the demo modules ship): the matrix's 4
    // wrong images are counted, and the empty gallery says why instead of "no misclassified".
    EvaluationView view;
    EvaluationData data;
    data.report = knownReport();
    view.setData(data);
    QVERIFY2(view.summaryText().contains(QLatin1String("4 misclassified")), qPrintable(view.summaryText()));
    QVERIFY2(view.detailLabel()->text().contains(QLatin1String("not available")),
             qPrintable(view.detailLabel()->text()));
}

void TestEvaluationView::misclassifiedGallery()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QImage image(40, 30, QImage::Format_RGB32);
    image.fill(Qt::red);
    QVERIFY(image.save(dir.filePath(QStringLiteral("a.png"))));
    QVERIFY(image.save(dir.filePath(QStringLiteral("b.png"))));
    QFile csv(dir.filePath(QStringLiteral("predictions.csv")));
    QVERIFY(csv.open(QIODevice::WriteOnly));
    csv.write("file,truth,prediction,p_cat,p_dog,p_fox\n");
    csv.write(QStringLiteral("%1,cat,cat,0.9,0.05,0.05\n").arg(dir.filePath(QStringLiteral("a.png"))).toUtf8());
    csv.write("b.png,dog,fox,0.1,0.3,0.6\n");  // relative to the file's folder
    csv.close();
    qint64 total = 0;
    Result<QList<MisclassifiedImage>> wrong = EvaluationData::readMisclassified(csv.fileName(), &total);
    QVERIFY(wrong.ok());
    QCOMPARE(total, 1);
    QCOMPARE(wrong->size(), 1);
    QCOMPARE(wrong->first().scores.first().label, QStringLiteral("fox"));
    QVERIFY(!wrong->first().thumbnail.isNull());

    EvaluationView view;
    EvaluationData data;
    data.report = knownReport();
    data.misclassified = wrong.value();
    data.misclassifiedTotal = total;
    view.setData(data);
    view.show();
    QCOMPARE(view.gallery()->count(), 1);
    QCOMPARE(view.gallery()->item(0)->text(), QStringLiteral("dog → fox"));
    const QRect rect = view.gallery()->visualItemRect(view.gallery()->item(0));
    QTest::mouseClick(view.gallery()->viewport(), Qt::LeftButton, {}, rect.center());
    QVERIFY2(view.detailLabel()->text().contains(QLatin1String("truth: <b>dog</b>")),
             qPrintable(view.detailLabel()->text()));
    QVERIFY(view.detailLabel()->text().contains(QLatin1String("fox: 60.0 %")));
}

// Issue 17 item 10: the evaluated folder is named above the figures.
void TestEvaluationView::summaryNamesWhatWasEvaluated()
{
    EvaluationView view;
    EvaluationData data;
    data.report = knownReport();
    data.source = QStringLiteral("/data/plankton/test");
    view.setData(data);
    QVERIFY2(view.summaryText().startsWith(QLatin1String("On /data/plankton/test: ")), qPrintable(view.summaryText()));
}

// Issue 17 item 10: a click on a cell of the matrix shows that cell's images only; a second
// click shows them all again.
void TestEvaluationView::clickingACellShowsItsImages()
{
    EvaluationView view;
    EvaluationData data;
    data.report = knownReport();
    const auto wrong = [](const char *truth, const char *predicted) {
        MisclassifiedImage image;
        image.file = QStringLiteral("/nowhere/%1-%2.png").arg(QLatin1String(truth), QLatin1String(predicted));
        image.truth = QLatin1String(truth);
        image.prediction = QLatin1String(predicted);
        image.thumbnail = QImage(8, 8, QImage::Format_RGB32);
        return image;
    };
    // cat→dog 1, dog→cat 2, dog→fox 1 (kMatrix).
    data.misclassified = {wrong("cat", "dog"), wrong("dog", "cat"), wrong("dog", "cat"), wrong("dog", "fox")};
    data.misclassifiedTotal = 4;
    view.setData(data);
    view.resize(900, 600);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QCOMPARE(view.visibleInGallery(), 4);

    // The centre of the cell truth "dog" (row 1), prediction "cat" (column 0), clicked.
    QCustomPlot *plot = view.matrixPlot();
    plot->replot();
    const QPoint dogAsCat(int(plot->xAxis->coordToPixel(0)), int(plot->yAxis->coordToPixel(1)));
    QTest::mouseClick(plot, Qt::LeftButton, {}, dogAsCat);
    QCOMPARE(view.visibleInGallery(), 2);
    for (int row = 0; row < view.gallery()->count(); ++row)
        QCOMPARE(view.gallery()->item(row)->isHidden(), data.misclassified.at(row).prediction != QLatin1String("cat"));
    QVERIFY2(view.detailLabel()->text().contains(QLatin1String("<b>dog</b> predicted as <b>cat</b>: 2 of 2")),
             qPrintable(view.detailLabel()->text()));
    // A correct cell has no misclassified images: it says so.
    view.showCell(2, 2);
    QCOMPARE(view.visibleInGallery(), 0);
    QVERIFY(view.detailLabel()->text().contains(QLatin1String("4 correct image(s)")));
    view.showCell(2, 2);  // the same cell again: all of them
    QCOMPARE(view.visibleInGallery(), 4);
}

QTEST_MAIN(TestEvaluationView)
#include "test_evaluation_view.moc"
