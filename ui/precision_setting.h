#pragma once
// The GUI's --precision: "Precision on the CPU" (auto, fp32 or bf16), kept in QSettings and
// auto until the user picks another. Every job the GUI starts passes it as `precision` where
// the task's arguments have that argument: applyTo() makes it the argument's default, so that
// a form shows it (where the user may still choose otherwise for one job) and
// ArgumentSchema::validate() fills it in where no form shows it.
#include "core/ml/precision.h"
#include "core/task/argument_schema.h"
#include "core/util/result.h"

#include <QObject>
#include <QString>

#include <optional>

namespace dw {

class PrecisionSetting : public QObject {
    Q_OBJECT
public:
    explicit PrecisionSetting(QObject *parent = nullptr);  // reads the saved choice

    static QString settingsKey();                     // "device/cpuPrecision"
    static QString argumentName();                    // "precision", the tasks' argument
    const QString &value() const { return m_value; }  // "auto", "fp32" or "bf16"
    // Saves the choice and announces it; an unknown word is an error naming the choices.
    Result<void> setValue(const QString &value);

    // The schema with its precision argument defaulting to value(); as it was without one.
    ArgumentSchema applyTo(const ArgumentSchema &schema) const;
    // What a workbench network runs its predictions in on `device` with this choice; nothing
    // on a GPU, where CUDA keeps its own mixed-precision rule.
    std::optional<ml::Precision> effectiveOn(const QString &device) const;

    // How the menu names a choice ("Automatic (bf16 where the processor has it)") and what its
    // tool tip says it does, on this processor.
    static QString label(const QString &choice);
    static QString explanation(const QString &choice);

Q_SIGNALS:
    void changed(const QString &value);

private:
    QString m_value;
};

}  // namespace dw
