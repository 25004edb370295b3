#pragma once
// About DEEP Workbench: what it is, and the versions of the workbench and of the libraries
// it was built with (Qt, LibTorch, OpenCV, GDAL, libarchive), selectable for bug reports.
#include <QDialog>

namespace dw {

class AboutDialog : public QDialog {
    Q_OBJECT
public:
    explicit AboutDialog(QWidget *parent = nullptr);

    // The versions as plain text ("Qt 6.4.2\nLibTorch 1.13.1\n...").
    static QString versionsText();
};

}  // namespace dw
