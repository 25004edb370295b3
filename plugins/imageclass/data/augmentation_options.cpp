#include "plugins/imageclass/data/augmentation_options.h"

namespace dw::imageclass {
namespace {

struct Field {
    const char *key;
    double AugmentationOptions::*member;
};

constexpr Field kFields[] = {
    {"horizontal_flip", &AugmentationOptions::horizontalFlip},
    {"vertical_flip", &AugmentationOptions::verticalFlip},
    {"rotation_degrees", &AugmentationOptions::rotationDegrees},
    {"crop_scale_min", &AugmentationOptions::scaleMin},
    {"crop_scale_max", &AugmentationOptions::scaleMax},
    {"crop_ratio_min", &AugmentationOptions::ratioMin},
    {"crop_ratio_max", &AugmentationOptions::ratioMax},
    {"brightness", &AugmentationOptions::brightness},
    {"contrast", &AugmentationOptions::contrast},
    {"saturation", &AugmentationOptions::saturation},
    {"blur_probability", &AugmentationOptions::blurProbability},
    {"blur_sigma_min", &AugmentationOptions::blurSigmaMin},
    {"blur_sigma_max", &AugmentationOptions::blurSigmaMax},
    {"noise_probability", &AugmentationOptions::noiseProbability},
    {"noise_sigma", &AugmentationOptions::noiseSigma},
};

}  // namespace

AugmentationOptions AugmentationOptions::none()
{
    AugmentationOptions options;
    options.horizontalFlip = 0.0;
    return options;
}

AugmentationOptions AugmentationOptions::photo()
{
    AugmentationOptions options;
    options.randomResizedCrop = true;
    options.brightness = 0.2;
    options.contrast = 0.2;
    options.saturation = 0.2;
    return options;
}

QJsonObject AugmentationOptions::toJson() const
{
    QJsonObject json{{QStringLiteral("random_resized_crop"), randomResizedCrop}};
    for (const Field &field : kFields)
        json.insert(QLatin1String(field.key), this->*field.member);
    return json;
}

AugmentationOptions AugmentationOptions::fromJson(const QJsonObject &json)
{
    AugmentationOptions options;
    options.randomResizedCrop = json.value(QStringLiteral("random_resized_crop")).toBool(options.randomResizedCrop);
    for (const Field &field : kFields)
        options.*field.member = json.value(QLatin1String(field.key)).toDouble(options.*field.member);
    return options;
}

}  // namespace dw::imageclass
