#pragma once
// What the GUI suites share: a temporary catalog folder (DEEPWB_CATALOG points at it) with
// generated modules — two good ones and a broken one — and settings kept out of $HOME.
#include <QJsonObject>
#include <QString>
#include <QTemporaryDir>

namespace dw::test {

class TestCatalog {
public:
    TestCatalog();  // creates the folder, the modules, and sets DEEPWB_CATALOG
    ~TestCatalog();

    bool isValid() const { return m_dir.isValid(); }
    QString path() const { return m_dir.path(); }
    // A module folder <path>/<id> with module.json (and a weights file when withWeights).
    QString addModule(const QJsonObject &manifest, bool withWeights = false) const;
    QString scratch(const QString &name) const;  // a file path in a separate scratch folder

    // The generated modules.
    static QString planktonId() { return QStringLiteral("plankton-classifier"); }
    static QString planktonTitle() { return QStringLiteral("Plankton classifier"); }
    static QString riverId() { return QStringLiteral("river-flow-forecaster"); }
    static QString riverTitle() { return QStringLiteral("River flow forecaster"); }
    static QString brokenId() { return QStringLiteral("broken-detector"); }
    static QString brokenTitle() { return QStringLiteral("Broken detector"); }
    static int builtInCount() { return 3; }
    static int generatedCount() { return 3; }

private:
    QTemporaryDir m_dir;
    QTemporaryDir m_scratch;
    QByteArray m_previousCatalog;
};

// Settings go to a private folder; call before creating any window.
void isolateSettings(const QString &folder);

}  // namespace dw::test
