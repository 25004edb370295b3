#pragma once
// Fine-tuning a trained super-resolution module on new rasters (deepwb retrain PARENT, or the
// "parent" train argument): the parent is read and checked against the request (the same band
// count, the same scale, guided by as many guide bands or not guided at all; each mismatch is
// an error that says what to change), the child takes the parent's network (blocks and
// filters; the request's are ignored), its weights and (unless asked to refit it) its band
// normalisation, and the freeze
// mode says what learns:
//   full     every layer
//   partial  the last half of the residual blocks (at least one) and the output convolution
//   head     the output convolution only (the network's tail.*: the layer that writes the
//            bands; not the DSen2 "head" convolution that reads them)
// Frozen parameters do not require grad, so the optimiser leaves them out. The network has no
// batch normalisation: frozen layers need no evaluation mode.
// Without a parent everything here is a no-op and the run trains from scratch.
#include "core/util/result.h"
#include "plugins/superres/module/sr_module.h"
#include "plugins/superres/train/sr_train_request.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace dw {
class JobContext;
}

namespace dw::superres {

class Dsen2NetworkImpl;

class SrParent {
public:
    // request.parentDir empty: no parent. Otherwise reads the module and checks that it fits
    // the request's rasters and guides (band counts are checked when the rasters are there).
    static Result<SrParent> load(const SrTrainRequest &request);
    // The checks that need no rasters (module, scale, guided or not), for callers that want to
    // fail before reading large files.
    static Result<SrModule> readFitting(const QString &parentDir, int scale, bool guided);

    bool active() const { return m_module.has_value(); }
    const SrModule *module() const { return m_module ? &*m_module : nullptr; }
    const QString &freeze() const { return m_freeze; }
    bool keepsNormalization() const { return m_module && m_keepNormalization; }

    // The child's network: the parent's, else the request's.
    SrNetworkSpec networkSpec(const SrTrainRequest &request) const;
    // The normalisations the child trains in: the parent's (request.parentNormalization "keep",
    // the default: see sr_parent.cpp for why); null without a parent or with "refit" (fitted on
    // the rasters).
    const BandNormalization *normalization() const;
    const BandNormalization *guideNormalization() const;
    // Loads the parent's weights into the freshly built network (still on the CPU) and freezes
    // what the mode keeps; logs what learns. Nothing without a parent.
    Result<void> applyTo(Dsen2NetworkImpl &model, JobContext &context) const;
    // module.json of the child: parent (id), hyper-parameters parent, freeze,
    // parent-normalization and the network actually trained, and extra.initialization {kind
    // "module", module, weights and data sha256 of the parent, normalization "parent" or
    // "refit"}. Nothing without a parent.
    void record(ModuleManifest &manifest) const;

private:
    std::optional<SrModule> m_module;
    QString m_freeze = QStringLiteral("full");
    bool m_keepNormalization = true;
};

// Which parameters learn in a freeze mode, as name prefixes of a Dsen2Network with `blocks`
// blocks (head.*, blocks.N.*, tail.*); empty: all of them.
QStringList srTrainablePrefixes(const QString &freeze, int blocks);

}  // namespace dw::superres
