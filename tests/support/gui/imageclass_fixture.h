#pragma once
// What the image-classification GUI suites share: the plugin from the build tree, a tiny
// dataset of coloured shapes (one colour per class, so a few epochs learn it), and a
// module trained through the plugin's interface, as the workbench itself would.
#include "../shape_images.h"
#include "core/jobs/job_context.h"
#include "core/task/plugin_manager.h"

#include <QDir>
#include <QString>

#include <algorithm>
#include <vector>

namespace dw::test {

inline const char *imageClassTask()
{
    return "image-classification";
}

// Call before the first PluginManager::instance().
inline void usePluginsFromTheBuild()
{
    qputenv("DEEPWB_PLUGIN_PATH", QByteArray(DW_PLUGIN_DIR));
}

inline TaskPlugin *imageClassPlugin()
{
    return PluginManager::instance().plugin(QString::fromLatin1(imageClassTask()));
}

// circle (red), square (green), triangle (blue): count images each of side px.
inline bool writeShapeDataset(const QString &root, int count, quint64 seed, int side = 32)
{
    return writeShapeImages(root,
                            {{QStringLiteral("circle"), Shape::Circle, cv::Scalar(40, 40, 230)},
                             {QStringLiteral("square"), Shape::Square, cv::Scalar(40, 220, 40)},
                             {QStringLiteral("triangle"), Shape::Triangle, cv::Scalar(230, 60, 40)}},
                            count, side, seed);
}

// The train arguments every quick training here shares (tiny, deterministic).
inline QVariantMap quickTrainArguments(const QString &data, const QString &name, const QString &output, int epochs)
{
    return {{QStringLiteral("data"), data},     {QStringLiteral("arch"), QStringLiteral("smallcnn")},
            {QStringLiteral("epochs"), epochs}, {QStringLiteral("batch"), 16},
            {QStringLiteral("workers"), 1},     {QStringLiteral("augment"), false},
            {QStringLiteral("lr"), 0.003},      {QStringLiteral("name"), name},
            {QStringLiteral("output"), output}, {QStringLiteral("test-fraction"), 0.2}};
}

// Trains a module into output through the plugin (no GUI); the error's text when it fails.
inline QString trainModule(const QString &data, const QString &name, const QString &output, int epochs)
{
    TaskPlugin *plugin = imageClassPlugin();
    if (!plugin)
        return QStringLiteral("the image-classification plugin did not load from " DW_PLUGIN_DIR);
    Result<QVariantMap> args = plugin->trainArguments().validate(quickTrainArguments(data, name, output, epochs));
    if (!args)
        return args.error().text();
    JobContext context;
    Result<TaskResult> trained = plugin->train(*args, context);
    return trained ? QString() : trained.error().text();
}

}  // namespace dw::test
