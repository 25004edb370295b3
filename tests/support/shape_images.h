#pragma once
// Tiny generated image classification datasets for the training tests: coloured shapes
// (circle, square, triangle, cross, ...) on a noisy dark background, written as PNG files
// into folder-per-class trees. Deterministic under a seed.
#include <QDir>
#include <QString>
#include <QStringList>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <vector>

namespace dw::test {

enum class Shape { Circle, Square, Triangle, Cross, Ring, Diamond };

struct ShapeClass {
    QString name;
    Shape shape = Shape::Circle;
    // A fixed colour makes the class easy (colour is a cue); negative: a random bright colour
    // per image, so that only the shape tells the classes apart.
    cv::Scalar colour{-1, -1, -1};
};

inline void drawShape(cv::Mat &image, Shape shape, const cv::Scalar &colour, cv::RNG &rng)
{
    const int side = image.cols;
    const int r = static_cast<int>(side * rng.uniform(0.24, 0.34));
    const cv::Point c(side / 2 + rng.uniform(-side / 10, side / 10 + 1),
                      side / 2 + rng.uniform(-side / 10, side / 10 + 1));
    switch (shape) {
    case Shape::Circle:
        cv::circle(image, c, r, colour, cv::FILLED, cv::LINE_AA);
        break;
    case Shape::Ring:
        cv::circle(image, c, r, colour, std::max(2, side / 12), cv::LINE_AA);
        break;
    case Shape::Square:
        cv::rectangle(image, cv::Point(c.x - r, c.y - r), cv::Point(c.x + r, c.y + r), colour, cv::FILLED);
        break;
    case Shape::Triangle: {
        std::vector<cv::Point> points{{c.x, c.y - r}, {c.x - r, c.y + r}, {c.x + r, c.y + r}};
        cv::fillConvexPoly(image, points, colour, cv::LINE_AA);
        break;
    }
    case Shape::Diamond: {
        std::vector<cv::Point> points{{c.x, c.y - r}, {c.x - r, c.y}, {c.x, c.y + r}, {c.x + r, c.y}};
        cv::fillConvexPoly(image, points, colour, cv::LINE_AA);
        break;
    }
    case Shape::Cross: {
        const int w = std::max(2, r / 3);
        cv::rectangle(image, cv::Point(c.x - r, c.y - w), cv::Point(c.x + r, c.y + w), colour, cv::FILLED);
        cv::rectangle(image, cv::Point(c.x - w, c.y - r), cv::Point(c.x + w, c.y + r), colour, cv::FILLED);
        break;
    }
    }
}

// Writes count images of each class into root/<class>/NNN.png; false when a file cannot be written.
inline bool writeShapeImages(const QString &root, const std::vector<ShapeClass> &classes, int count, int side,
                             quint64 seed)
{
    cv::RNG rng(seed);
    for (const ShapeClass &shapeClass : classes) {
        const QString folder = QDir(root).filePath(shapeClass.name);
        if (!QDir().mkpath(folder))
            return false;
        for (int i = 0; i < count; ++i) {
            cv::Mat image(side, side, CV_8UC3);
            rng.fill(image, cv::RNG::UNIFORM, cv::Scalar::all(0), cv::Scalar::all(70));
            cv::Scalar colour = shapeClass.colour;
            if (colour[0] < 0)
                colour = cv::Scalar(rng.uniform(90, 256), rng.uniform(90, 256), rng.uniform(90, 256));
            drawShape(image, shapeClass.shape, colour, rng);
            const QString path = QDir(folder).filePath(QStringLiteral("%1.png").arg(i, 3, 10, QLatin1Char('0')));
            if (!cv::imwrite(path.toStdString(), image))
                return false;
        }
    }
    return true;
}

}  // namespace dw::test
