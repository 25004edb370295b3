// ImageReader and ImageInfo: every format × colour mode × depth, EXIF orientation, the
// size limit checked before decoding, and damaged files. Fixtures are made here with
// OpenCV; the EXIF segments are written byte by byte.
#include "core/io/image_info.h"
#include "core/io/image_reader.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <gdal_priv.h>

using namespace Qt::StringLiterals;

namespace {

// A BGR(A) test pattern: pixels differ, the top-left quadrant is bright.
cv::Mat pattern(int width, int height, int channels, int depth)
{
    cv::Mat mat(height, width, CV_MAKETYPE(depth, channels));
    const double top = depth == CV_16U ? 65535.0 : 255.0;
    for (int y = 0; y < height; ++y) {
        for (int x = 0; x < width; ++x) {
            for (int c = 0; c < channels; ++c) {
                double v = (x < width / 2 && y < height / 2) ? top : top * ((x * 7 + y * 13 + c * 40) % 100) / 400.0;
                if (c == 3)
                    v = top * (0.5 + 0.5 * ((x + y) % 2));  // varying alpha, so that no encoder drops it
                if (depth == CV_16U)
                    mat.ptr<quint16>(y)[x * channels + c] = static_cast<quint16>(v);
                else
                    mat.ptr<uchar>(y)[x * channels + c] = static_cast<uchar>(v);
            }
        }
    }
    return mat;
}

QByteArray encode(const QString &suffix, const cv::Mat &mat, const std::vector<int> &params = {})
{
    std::vector<uchar> bytes;
    if (!cv::imencode(("." + suffix).toStdString(), mat, bytes, params))
        return {};
    return QByteArray(reinterpret_cast<const char *>(bytes.data()), static_cast<qsizetype>(bytes.size()));
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

// "Exif\0\0" + a little-endian TIFF structure whose IFD0 holds only the orientation.
QByteArray exifBlock(int orientation)
{
    QByteArray b("Exif\0\0", 6);
    b += QByteArray("II*\0", 4);
    b += QByteArray("\x08\0\0\0", 4);                // IFD0 at offset 8
    b += QByteArray("\x01\0", 2);                    // one entry
    b += QByteArray("\x12\x01\x03\0\x01\0\0\0", 8);  // tag 0x0112 SHORT ×1
    b += static_cast<char>(orientation);
    b += QByteArray("\0\0\0", 3);
    b += QByteArray("\0\0\0\0", 4);  // no next IFD
    return b;
}

QByteArray withJpegExif(const QByteArray &jpeg, int orientation)
{
    const QByteArray payload = exifBlock(orientation);
    QByteArray segment("\xFF\xE1", 2);
    const int length = static_cast<int>(payload.size()) + 2;
    segment += static_cast<char>(length >> 8);
    segment += static_cast<char>(length & 0xFF);
    segment += payload;
    return jpeg.left(2) + segment + jpeg.mid(2);
}

quint32 crc32(const QByteArray &data)
{
    quint32 crc = 0xFFFFFFFFu;
    for (const char ch : data) {
        crc ^= static_cast<quint8>(ch);
        for (int k = 0; k < 8; ++k)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

QByteArray pngChunk(const QByteArray &type, const QByteArray &data)
{
    QByteArray chunk;
    const auto be32 = [](quint32 v) {
        QByteArray b(4, '\0');
        for (int i = 0; i < 4; ++i)
            b[i] = static_cast<char>((v >> (24 - 8 * i)) & 0xFF);
        return b;
    };
    chunk += be32(static_cast<quint32>(data.size()));
    chunk += type + data;
    chunk += be32(crc32(type + data));
    return chunk;
}

QByteArray withPngExif(const QByteArray &png, int orientation)
{
    const qsizetype afterHeader = 8 + 25;  // signature + IHDR chunk
    return png.left(afterHeader) + pngChunk("eXIf", exifBlock(orientation).mid(6)) + png.mid(afterHeader);
}

}  // namespace

class TestImageReader : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString path(const QString &name) const { return m_dir.filePath(name); }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void readsFormats_data()
    {
        QTest::addColumn<QString>("suffix");
        QTest::addColumn<int>("channels");
        QTest::addColumn<int>("depth");
        QTest::addColumn<int>("expectedChannels");
        QTest::addColumn<int>("expectedBits");
        QTest::addColumn<bool>("lossless");
        const struct {
            const char *suffix;
            int channels, depth, expectedChannels, expectedBits;
            bool lossless;
        } rows[] = {
            {"jpg", 1, CV_8U, 1, 8, false},  {"jpg", 3, CV_8U, 3, 8, false},  {"png", 1, CV_8U, 1, 8, true},
            {"png", 3, CV_8U, 3, 8, true},   {"png", 4, CV_8U, 4, 8, true},   {"png", 1, CV_16U, 1, 16, true},
            {"png", 3, CV_16U, 3, 16, true}, {"png", 4, CV_16U, 4, 16, true}, {"bmp", 1, CV_8U, 1, 8, true},
            {"bmp", 3, CV_8U, 3, 8, true},   {"bmp", 4, CV_8U, 3, 8, true},  // BI_RGB 32-bit: no alpha
            {"tif", 1, CV_8U, 1, 8, true},   {"tif", 3, CV_8U, 3, 8, true},   {"tif", 4, CV_8U, 4, 8, true},
            {"tif", 1, CV_16U, 1, 16, true}, {"tif", 3, CV_16U, 3, 16, true}, {"tif", 4, CV_16U, 4, 16, true},
            {"webp", 3, CV_8U, 3, 8, false}, {"webp", 4, CV_8U, 4, 8, false}, {"ppm", 3, CV_8U, 3, 8, true},
            {"pgm", 1, CV_16U, 1, 16, true},
        };
        for (const auto &r : rows) {
            const QString name =
                QStringLiteral("%1-%2ch-%3bit").arg(r.suffix).arg(r.channels).arg(r.depth == CV_16U ? 16 : 8);
            QTest::newRow(qPrintable(name)) << QString::fromLatin1(r.suffix) << r.channels << r.depth
                                            << r.expectedChannels << r.expectedBits << r.lossless;
        }
    }

    void readsFormats()
    {
        QFETCH(QString, suffix);
        QFETCH(int, channels);
        QFETCH(int, depth);
        QFETCH(int, expectedChannels);
        QFETCH(int, expectedBits);
        QFETCH(bool, lossless);
        const cv::Mat mat = pattern(37, 23, channels, depth);
        const std::vector<int> params =
            suffix == QLatin1String("webp") ? std::vector<int>{cv::IMWRITE_WEBP_QUALITY, 101} : std::vector<int>{};
        const QByteArray bytes = encode(suffix, mat, params);
        QVERIFY2(!bytes.isEmpty(), "OpenCV cannot write this format");
        const QString file =
            path(QStringLiteral("f-%1-%2-%3.%4").arg(channels).arg(depth).arg(expectedBits).arg(suffix));
        QVERIFY(writeFile(file, bytes));

        const auto info = dw::ImageReader::readInfo(file);
        QVERIFY2(info.ok(), qPrintable(info.ok() ? QString() : info.error().text()));
        QCOMPARE(info->width, 37);
        QCOMPARE(info->height, 23);

        const auto image = dw::ImageReader::read(file);
        QVERIFY2(image.ok(), qPrintable(image.ok() ? QString() : image.error().text()));
        QCOMPARE(image->width, 37);
        QCOMPARE(image->height, 23);
        QCOMPARE(image->channels, expectedChannels);
        QCOMPARE(image->bitDepth, expectedBits);
        QCOMPARE(static_cast<qsizetype>(expectedBits == 16 ? image->data16.size() : image->data8.size()),
                 static_cast<qsizetype>(37 * 23 * expectedChannels));
        // RGB order, not OpenCV's BGR: compare a pixel with the BGR pattern.
        const int x = 30, y = 20;
        for (int c = 0; c < std::min(channels, expectedChannels); ++c) {
            const int source = (channels >= 3 && c < 3) ? 2 - c : c;
            const double want =
                depth == CV_16U ? mat.ptr<quint16>(y)[x * channels + source] : mat.ptr<uchar>(y)[x * channels + source];
            const double got = expectedBits == 16
                                   ? image->data16[static_cast<std::size_t>((y * 37 + x) * expectedChannels + c)]
                                   : image->data8[static_cast<std::size_t>((y * 37 + x) * expectedChannels + c)];
            const double tolerance = lossless ? 0.0 : (expectedBits == 16 ? 65535.0 : 255.0) * 0.08;
            QVERIFY2(std::abs(want - got) <= tolerance,
                     qPrintable(QStringLiteral("channel %1: %2 vs %3").arg(c).arg(got).arg(want)));
        }
    }

    void convertsChannels_data()
    {
        QTest::addColumn<int>("stored");
        QTest::addColumn<int>("wanted");
        QTest::newRow("grey to RGB") << 1 << 3;
        QTest::newRow("RGBA to RGB") << 4 << 3;
        QTest::newRow("RGB to grey") << 3 << 1;
        QTest::newRow("grey to RGBA") << 1 << 4;
        QTest::newRow("RGB kept") << 3 << 0;
    }

    void convertsChannels()
    {
        QFETCH(int, stored);
        QFETCH(int, wanted);
        const QString file = path(QStringLiteral("convert-%1.png").arg(stored));
        QVERIFY(writeFile(file, encode(QStringLiteral("png"), pattern(9, 5, stored, CV_8U))));
        dw::ImageReadOptions options;
        options.channels = wanted;
        const auto image = dw::ImageReader::read(file, options);
        QVERIFY(image.ok());
        QCOMPARE(image->channels, wanted == 0 ? stored : wanted);
        if (stored == 1 && wanted >= 3) {  // replicated grey
            for (std::size_t i = 0; i < 45; ++i) {
                QCOMPARE(image->data8[i * wanted], image->data8[i * wanted + 1]);
                QCOMPARE(image->data8[i * wanted], image->data8[i * wanted + 2]);
            }
        }
    }

    void convertsDepth()
    {
        const QString file = path(QStringLiteral("deep.png"));
        const cv::Mat mat = pattern(8, 8, 1, CV_16U);
        QVERIFY(writeFile(file, encode(QStringLiteral("png"), mat)));
        dw::ImageReadOptions options;
        options.bitDepth = 8;
        const auto image = dw::ImageReader::read(file, options);
        QVERIFY(image.ok());
        QCOMPARE(image->bitDepth, 8);
        QCOMPARE(int(image->data8[0]), 255);
        QCOMPARE(image->normalized(7, 7, 0), std::round(mat.at<quint16>(7, 7) / 257.0f) / 255.0f);
    }

    void appliesExifOrientation_data()
    {
        QTest::addColumn<QString>("container");
        QTest::addColumn<int>("orientation");
        QTest::addColumn<int>("width");
        QTest::addColumn<int>("height");
        QTest::addColumn<int>("brightX");  // where the stored top-left quadrant ends up
        QTest::addColumn<int>("brightY");
        QTest::newRow("jpeg 1") << "jpg" << 1 << 40 << 20 << 2 << 2;
        QTest::newRow("jpeg 3 (180°)") << "jpg" << 3 << 40 << 20 << 37 << 17;
        QTest::newRow("jpeg 6 (90° cw)") << "jpg" << 6 << 20 << 40 << 17 << 2;
        QTest::newRow("jpeg 8 (90° ccw)") << "jpg" << 8 << 20 << 40 << 2 << 37;
        QTest::newRow("jpeg 2 (mirror)") << "jpg" << 2 << 40 << 20 << 37 << 2;
        QTest::newRow("png 6") << "png" << 6 << 20 << 40 << 17 << 2;
    }

    void appliesExifOrientation()
    {
        QFETCH(QString, container);
        QFETCH(int, orientation);
        QFETCH(int, width);
        QFETCH(int, height);
        QFETCH(int, brightX);
        QFETCH(int, brightY);
        cv::Mat mat(20, 40, CV_8UC3, cv::Scalar::all(0));
        mat(cv::Rect(0, 0, 20, 10)).setTo(cv::Scalar::all(255));
        const QByteArray plain = encode(container, mat);
        const QByteArray bytes =
            container == QLatin1String("jpg") ? withJpegExif(plain, orientation) : withPngExif(plain, orientation);
        const QString file = path(QStringLiteral("exif-%1.%2").arg(orientation).arg(container));
        QVERIFY(writeFile(file, bytes));

        // OpenCV itself leaves the orientation alone with IMREAD_UNCHANGED: the reason this exists.
        const cv::Mat raw = cv::imread(file.toStdString(), cv::IMREAD_UNCHANGED);
        QCOMPARE(raw.cols, 40);

        const auto info = dw::ImageReader::readInfo(file);
        QVERIFY(info.ok());
        QCOMPARE(info->orientation, orientation);
        const auto image = dw::ImageReader::read(file);
        QVERIFY2(image.ok(), qPrintable(image.ok() ? QString() : image.error().text()));
        QCOMPARE(image->width, width);
        QCOMPARE(image->height, height);
        QVERIFY(image->normalized(brightX, brightY, 0) > 0.9f);
        QVERIFY(image->normalized(width - 1 - brightX, height - 1 - brightY, 0) < 0.1f);

        dw::ImageReadOptions asStored;
        asStored.applyOrientation = false;
        const auto stored = dw::ImageReader::read(file, asStored);
        QVERIFY(stored.ok());
        QCOMPARE(stored->width, 40);
    }

    void refusesHugeImagesBeforeDecoding()
    {
        const QString wide = path(QStringLiteral("wide.png"));
        QVERIFY(writeFile(wide, encode(QStringLiteral("png"), cv::Mat(1, 20001, CV_8UC1, cv::Scalar(7)))));
        const auto image = dw::ImageReader::read(wide);
        QVERIFY(!image.ok());
        QVERIFY2(image.error().message.contains(QStringLiteral("20001 × 1")), qPrintable(image.error().message));
        QVERIFY(image.error().message.contains(QStringLiteral("20000")));
        QCOMPARE(image.error().field, wide);

        // A header claiming 30000 × 30000 with no real image data: refused for its size,
        // which proves nothing was decoded (decoding would fail, or take 2.7 GB).
        QByteArray header = encode(QStringLiteral("png"), cv::Mat(2, 2, CV_8UC1, cv::Scalar(0))).left(33);
        const QByteArray ihdr = QByteArray::fromHex("00007530000075300800000000");
        header = header.left(8) + pngChunk("IHDR", ihdr) + pngChunk("IEND", {});
        const QString claimed = path(QStringLiteral("claimed.png"));
        QVERIFY(writeFile(claimed, header));
        const auto refused = dw::ImageReader::read(claimed);
        QVERIFY(!refused.ok());
        QVERIFY2(refused.error().message.contains(QStringLiteral("30000 × 30000")),
                 qPrintable(refused.error().message));

        // The limit is an option.
        const QString strip = path(QStringLiteral("strip.png"));
        QVERIFY(writeFile(strip, encode(QStringLiteral("png"), cv::Mat(10, 150, CV_8UC3, cv::Scalar::all(9)))));
        dw::ImageReadOptions options;
        options.maxSide = 149;
        QVERIFY(!dw::ImageReader::read(strip, options).ok());
        options.maxSide = 150;
        QVERIFY(dw::ImageReader::read(strip, options).ok());
    }

    // A large image read for a small network comes back smaller, as the full decode shrunk by
    // area averaging would be (PNG through GDAL by lines, JPEG through its DCT scaling).
    void decodesLargeImagesReduced_data()
    {
        QTest::addColumn<QString>("suffix");
        QTest::addColumn<int>("channels");
        QTest::addColumn<double>("tolerance");  // mean absolute difference to the shrunk full decode
        QTest::newRow("png rgb") << u"png"_s << 3 << 0.51;
        QTest::newRow("png grey") << u"png"_s << 1 << 0.51;
        QTest::newRow("png rgba") << u"png"_s << 4 << 0.51;
        QTest::newRow("jpeg") << u"jpg"_s << 3 << 3.0;
    }

    void decodesLargeImagesReduced()
    {
        QFETCH(QString, suffix);
        QFETCH(int, channels);
        QFETCH(double, tolerance);
        const QString file =
            path(u"large-%1.%2"_s.arg(QString::fromLatin1(QTest::currentDataTag()).replace(u' ', u'-'), suffix));
        QVERIFY(writeFile(file, encode(suffix, pattern(1600, 1200, channels, CV_8U))));
        const auto whole = dw::ImageReader::read(file);
        QVERIFY(whole.ok());
        dw::ImageReadOptions options;
        options.reduceTo = 300;
        options.reduceAbovePixels = 1000 * 1000;
        const auto reduced = dw::ImageReader::read(file, options);
        QVERIFY2(reduced.ok(), qPrintable(reduced.ok() ? QString() : reduced.error().message));
        QCOMPARE(reduced->width, 400);  // 1200 / 300: a factor of 4
        QCOMPARE(reduced->height, 300);
        QCOMPARE(reduced->channels, whole->channels);
        const cv::Mat full(whole->height, whole->width, CV_MAKETYPE(CV_8U, whole->channels),
                           const_cast<void *>(whole->data()));
        const cv::Mat small(reduced->height, reduced->width, CV_MAKETYPE(CV_8U, reduced->channels),
                            const_cast<void *>(reduced->data()));
        cv::Mat shrunk;
        cv::resize(full, shrunk, small.size(), 0, 0, cv::INTER_AREA);
        cv::Mat difference;
        cv::absdiff(shrunk, small, difference);
        const double mean = cv::mean(cv::mean(difference))[0];
        QVERIFY2(mean <= tolerance, qPrintable(QString::number(mean)));
        // Small images, or no reduceTo: read as they are.
        options.reduceTo = 0;
        QCOMPARE(dw::ImageReader::read(file, options)->width, 1600);
    }

    // What an image would take to decode is capped (per image, so per request).
    void capsDecodedMemory()
    {
        const QString file = path(u"ten-megapixels.png"_s);
        QVERIFY(writeFile(file, encode(u"png"_s, cv::Mat(2000, 5000, CV_8UC3, cv::Scalar::all(3)))));
        dw::ImageReadOptions options;
        options.maxDecodedBytes = 8 << 20;
        const auto refused = dw::ImageReader::read(file, options);
        QVERIFY(!refused.ok());
        QVERIFY2(refused.error().message.contains(u"more than the 8 MiB allowed"_s),
                 qPrintable(refused.error().message));
        options.reduceTo = 500;  // read smaller, it fits
        options.reduceAbovePixels = 1000 * 1000;
        const auto reduced = dw::ImageReader::read(file, options);
        QVERIFY2(reduced.ok(), qPrintable(reduced.ok() ? QString() : reduced.error().message));
        QCOMPARE(reduced->height, 500);
    }

    // A valid multispectral TIFF is named for what it is, not called damaged.
    void namesFiveBandTiffs()
    {
        const QString file = path(u"five-bands.tif"_s);
        GDALAllRegister();
        GDALDriver *gtiff = GetGDALDriverManager()->GetDriverByName("GTiff");
        QVERIFY(gtiff);
        {
            GDALDatasetUniquePtr dataset(gtiff->Create(file.toUtf8().constData(), 40, 30, 5, GDT_Byte, nullptr));
            QVERIFY(dataset);
            std::vector<std::uint8_t> band(40 * 30, 77);
            for (int b = 1; b <= 5; ++b)
                QCOMPARE(
                    dataset->GetRasterBand(b)->RasterIO(GF_Write, 0, 0, 40, 30, band.data(), 40, 30, GDT_Byte, 0, 0),
                    CE_None);
        }
        const auto image = dw::ImageReader::read(file);
        QVERIFY(!image.ok());
        QVERIFY2(image.error().message.contains(u"valid TIFF image of 40 × 30 pixels with 5 bands"_s),
                 qPrintable(image.error().message));
        QVERIFY2(!image.error().message.contains(u"damaged"_s), qPrintable(image.error().message));
    }

    void reportsDamagedFiles_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("expected");
        const QByteArray jpeg = encode(QStringLiteral("jpg"), pattern(64, 64, 3, CV_8U));
        const QByteArray png = encode(QStringLiteral("png"), pattern(64, 64, 3, CV_8U));
        QTest::newRow("truncated jpeg") << "cut.jpg" << jpeg.left(jpeg.size() * 6 / 10) << "truncated";
        QTest::newRow("truncated png") << "cut.png" << png.left(png.size() / 2) << "PNG";
        QTest::newRow("text named jpg") << "notes.jpg" << QByteArray("just some text, not an image\n")
                                        << "not an image";
        QTest::newRow("empty file") << "empty.png" << QByteArray() << "empty";
    }

    void reportsDamagedFiles()
    {
        QFETCH(QString, name);
        QFETCH(QByteArray, bytes);
        QFETCH(QString, expected);
        const QString file = path(name);
        QVERIFY(writeFile(file, bytes));
        const auto image = dw::ImageReader::read(file);
        QVERIFY(!image.ok());
        QCOMPARE(image.error().field, file);  // names the file
        QVERIFY2(image.error().message.contains(expected), qPrintable(image.error().message));
        QVERIFY(image.error().text().startsWith(file));
    }

    void missingFile()
    {
        const auto image = dw::ImageReader::read(path(QStringLiteral("nowhere.png")));
        QVERIFY(!image.ok());
        QVERIFY(image.error().message.contains(QStringLiteral("does not exist")));
    }

    // Every prefix of a valid file is either read or refused with a message: never a crash.
    void survivesEveryTruncation_data()
    {
        QTest::addColumn<QString>("suffix");
        for (const char *s : {"jpg", "png", "bmp", "tif", "webp"})
            QTest::newRow(s) << QString::fromLatin1(s);
    }

    void survivesEveryTruncation()
    {
        QFETCH(QString, suffix);
        const QByteArray bytes = encode(suffix, pattern(16, 12, 3, CV_8U));
        int refused = 0;
        for (qsizetype n = 0; n < bytes.size(); n += std::max<qsizetype>(1, bytes.size() / 97)) {
            const auto image = dw::ImageReader::decode(bytes.left(n), QStringLiteral("cut.") + suffix);
            if (!image.ok()) {
                ++refused;
                QVERIFY(!image.error().message.isEmpty());
            } else {
                QCOMPARE(image->width, 16);
            }
        }
        QVERIFY(refused > 0);
    }

    void recognisesImageNames_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("image");
        QTest::newRow("jpg") << "a.jpg" << true;
        QTest::newRow("upper case") << "B.JPEG" << true;
        QTest::newRow("tiff in folder") << "x/y/c.tiff" << true;
        QTest::newRow("webp") << "d.webp" << true;
        QTest::newRow("hidden") << ".e.png" << false;
        QTest::newRow("apple double") << "._f.jpg" << false;
        QTest::newRow("text") << "notes.txt" << false;
        QTest::newRow("no suffix") << "png" << false;
    }

    void recognisesImageNames()
    {
        QFETCH(QString, name);
        QFETCH(bool, image);
        QCOMPARE(dw::ImageReader::isImageFileName(name), image);
    }
};

QTEST_GUILESS_MAIN(TestImageReader)
#include "test_image_reader.moc"
