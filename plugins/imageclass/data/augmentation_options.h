#pragma once
// The random changes made to each training image. Ranges and defaults follow
// torchvision's transforms, so that recipes from papers carry over.
#include <QJsonObject>

namespace dw::imageclass {

struct AugmentationOptions {
    double horizontalFlip = 0.5;   // probability
    double verticalFlip = 0.0;     // probability; for micrographs and aerial images
    double rotationDegrees = 0.0;  // angle uniform in [-d, d]; borders reflected

    // RandomResizedCrop: a crop of a random area fraction in [scaleMin, scaleMax] and
    // aspect ratio in [ratioMin, ratioMax] (log-uniform), resized to the model's size.
    // Off: the image is resized and centre-cropped as for evaluation.
    bool randomResizedCrop = false;
    double scaleMin = 0.08, scaleMax = 1.0;
    double ratioMin = 3.0 / 4.0, ratioMax = 4.0 / 3.0;

    // ColorJitter: factors uniform in [max(0, 1 - x), 1 + x]; 0 leaves it alone.
    double brightness = 0.0;
    double contrast = 0.0;
    double saturation = 0.0;

    double blurProbability = 0.0;  // Gaussian blur with sigma uniform in [min, max]
    double blurSigmaMin = 0.1, blurSigmaMax = 2.0;

    double noiseProbability = 0.0;  // additive Gaussian noise of this sigma (intensities in [0, 1])
    double noiseSigma = 0.03;

    // Nothing random: training images are only resized and cropped.
    static AugmentationOptions none();
    // A sensible recipe for photographs (flips, crop/zoom, mild colour jitter).
    static AugmentationOptions photo();

    QJsonObject toJson() const;
    // Missing keys keep their defaults.
    static AugmentationOptions fromJson(const QJsonObject &json);
};

}  // namespace dw::imageclass
