#include "core/io/torch_file_kind.h"

#include <QFile>
#include <QFileInfo>

#include <archive.h>
#include <archive_entry.h>

#include <memory>

namespace dw {

namespace {
struct ArchiveFree {
    void operator()(archive *a) const { archive_read_free(a); }
};
}  // namespace

bool looksLikeTorchFile(const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    return suffix == QLatin1String("pt") || suffix == QLatin1String("pth") || suffix == QLatin1String("ptc");
}

TorchFileKind torchFileKind(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return TorchFileKind::Unreadable;
    const QByteArray head = file.read(4);
    file.close();
    if (head.size() >= 2 && static_cast<unsigned char>(head.at(0)) == 0x80)
        return TorchFileKind::LegacyPickle;
    if (!head.startsWith("PK\x03\x04"))
        return TorchFileKind::NotTorch;
    // The zip's central directory names the records; a torch.save archive holds only
    // <name>/data.pkl (and the tensors), a TorchScript one also <name>/constants.pkl.
    std::unique_ptr<archive, ArchiveFree> reader(archive_read_new());
    archive_read_support_format_zip_seekable(reader.get());
    if (archive_read_open_filename(reader.get(), QFile::encodeName(path).constData(), 64 * 1024) != ARCHIVE_OK)
        return TorchFileKind::Unreadable;
    bool pickle = false;
    archive_entry *entry = nullptr;
    while (archive_read_next_header(reader.get(), &entry) == ARCHIVE_OK) {
        const QString name = QString::fromUtf8(archive_entry_pathname(entry));
        if (name.endsWith(QLatin1String("/constants.pkl")))
            return TorchFileKind::TorchScript;
        if (name.endsWith(QLatin1String("/data.pkl")))
            pickle = true;
        archive_read_data_skip(reader.get());
    }
    return pickle ? TorchFileKind::Pickle : TorchFileKind::NotTorch;
}

}  // namespace dw
