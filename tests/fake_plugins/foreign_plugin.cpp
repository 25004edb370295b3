// A Qt plugin for some other interface altogether (an image format, say).
#include <QObject>
#include <QtPlugin>

class ForeignPlugin : public QObject {
    Q_OBJECT
    Q_PLUGIN_METADATA(IID "org.example.ImageFormat/1.0")
};

#include "foreign_plugin.moc"
