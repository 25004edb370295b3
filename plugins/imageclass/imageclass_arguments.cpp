#include "plugins/imageclass/imageclass_arguments.h"

#include "core/task/argument_builders.h"
#include "core/task/precision_argument.h"

#include <QFileInfo>

#include <limits>

namespace dw::imageclass {

using namespace Qt::StringLiterals;

using namespace dw::args;

ArgumentSchema ImageClassArguments::train(const QStringList &architectures)
{
    const QString data = u"Data"_s, model = u"Model"_s, training = u"Training"_s, optimiser = u"Optimiser"_s,
                  transfer = u"Transfer learning"_s, output = u"Module"_s;
    ArgumentSchema s;
    s.add(required(
        spec(u"data"_s, ArgType::FolderPath, {}, data,
             u"The labelled images: a folder per class (optionally under train/, val/ and test/), a folder "
             "with DEEP split files (train.txt, val.txt, test.txt, classes.txt) or a CSV manifest (path,label)."_s)));
    s.add(spec(u"val-fraction"_s, ArgType::Float, 0.1, data,
               u"Share of the images kept for validation when the data has no split of its own."_s, 0.0, 0.9));
    s.add(spec(u"test-fraction"_s, ArgType::Float, 0.1, data,
               u"Share of the images kept for the final test when the data has no split of its own."_s, 0.0, 0.9));
    s.add(spec(u"augment"_s, ArgType::Bool, true, data,
               u"Random flips, rotations, crops and colour changes of the training images."_s));
    s.add(spec(u"workers"_s, ArgType::Int, 0, data, u"Threads decoding images; 0: one per core."_s, 0.0, 256.0));

    s.add(choice(u"arch"_s, u"resnet18"_s, architectures, model,
                 u"The network: smallcnn for small images (28 px) and quick runs, resnet18/34/50, mobilenetv2, "
                 "efficientnet_b0 or convnext_tiny for photos. Re-training keeps the parent's."_s));
    s.add(spec(u"image-size"_s, ArgType::Int, 0, model,
               u"Side of the square network input in pixels; 0: 28 for smallcnn, 224 for the others (the parent's when "
               "re-training)."_s,
               0.0, 4096.0));

    s.add(spec(u"epochs"_s, ArgType::Int, 10, training, u"Passes over the training images."_s, 1.0, 10000.0));
    s.add(spec(u"batch"_s, ArgType::Int, 64, training, u"Images per optimisation step."_s, 1.0, 4096.0));
    s.add(spec(
        u"patience"_s, ArgType::Int, 0, training,
        u"Stop after this many epochs without a better validation accuracy; 0: never stop early (the best epoch is "
        "kept either way)."_s,
        0.0, 10000.0));
    s.add(spec(u"balanced"_s, ArgType::Bool, false, training,
               u"Weigh the loss by inverse class frequency, for data with rare classes."_s));
    s.add(spec(u"label-smoothing"_s, ArgType::Float, 0.0, training,
               u"Share of the target probability spread over the other classes."_s, 0.0, 0.5));
    s.add(spec(u"seed"_s, ArgType::Int, 42, training, u"Seed of the split, the initial weights and the augmentation."_s,
               0.0, double(std::numeric_limits<int>::max())));
    s.add(spec(u"resume"_s, ArgType::Bool, false, training,
               u"Continue an interrupted training of this module from its last checkpoint."_s));
    s.add(precisionArgument(training));

    s.add(choice(u"optimizer"_s, u"adamw"_s, {u"sgd"_s, u"adam"_s, u"adamw"_s}, optimiser,
                 u"sgd (Nesterov momentum 0.9), adam or adamw (decoupled weight decay)."_s));
    s.add(spec(u"lr"_s, ArgType::Float, 0.001, optimiser, u"Learning rate (at its peak, after the warm-up)."_s, 1e-7,
               10.0));
    s.add(choice(u"schedule"_s, u"cosine"_s, {u"cosine"_s, u"step"_s, u"constant"_s}, optimiser,
                 u"How the learning rate falls: cosine to 0, step (x0.1 every third of the epochs) or constant."_s));
    s.add(spec(u"warmup"_s, ArgType::Float, 0.0, optimiser, u"Epochs of linear learning-rate warm-up."_s, 0.0, 1000.0));
    s.add(spec(u"weight-decay"_s, ArgType::Float, 1e-4, optimiser, u"L2 penalty on the weights."_s, 0.0, 1.0));

    ArgumentSpec init =
        spec(u"init"_s, ArgType::String, u"auto"_s, transfer,
             u"Where the weights start: imagenet (torchvision's ImageNet weights, downloaded once into the "
             "cache), random, a weights file (.pth: torchvision's, or a state dict of the same network) or a "
             "trained module (its folder or catalog id, as with retrain). auto: imagenet when the "
             "architecture has weights and they are cached or can be downloaded, else random."_s);
    init.choices = {u"auto"_s, u"imagenet"_s, u"random"_s};  // suggestions: a file or module is typed in
    init.label = u"Start from"_s;
    s.add(init);
    s.add(spec(u"parent"_s, ArgType::FolderPath, {}, transfer,
               u"Re-train from this trained module (its folder): the head is replaced for the new classes."_s));
    s.add(choice(
        u"freeze"_s, u"full"_s, {u"head"_s, u"partial"_s, u"full"_s}, transfer,
        u"With a parent or pretrained weights, what learns: head (the new head only), partial (the last stage and "
        "the head) or full (everything, the backbone at 0.1x the learning rate)."_s));

    s.add(required(spec(u"name"_s, ArgType::String, {}, output,
                        u"Id of the new module in the catalog (lower-case letters, digits, '.', '_', '-')."_s)));
    s.add(spec(u"output"_s, ArgType::FolderPath, {}, output,
               u"The module folder to write (the catalog's folder of --name when left out by the workbench)."_s));
    return s;
}

ArgumentSchema ImageClassArguments::predict()
{
    ArgumentSchema s;
    s.add(required(spec(u"module"_s, ArgType::FolderPath, {}, u"Input"_s, u"The trained module's folder."_s)));
    ArgumentSpec inputs = required(
        spec(u"inputs"_s, ArgType::List, {}, u"Input"_s, u"Image files and folders (searched recursively)."_s, 1.0));
    inputs.itemType = ArgType::FilePath;
    s.add(inputs);
    s.add(spec(u"top"_s, ArgType::Int, 5, u"Output"_s, u"Labels reported per image, best first."_s, 1.0, 1000.0));
    s.add(spec(u"tta"_s, ArgType::Int, 1, u"Output"_s,
               u"Test-time augmentation: average the prediction over this many views of each image (flips, crops); "
               "1: off."_s,
               1.0, 12.0));
    s.add(precisionArgument(u"Device"_s));
    s.add(spec(u"cam"_s, ArgType::FolderPath, {}, u"Output"_s,
               u"Write a Grad-CAM heat map of the top class for each image into this folder."_s));
    s.add(spec(u"cam-class"_s, ArgType::String, {}, u"Output"_s,
               u"The class (a label of the module) the Grad-CAM heat maps are for; empty: each image's top class."_s));
    return s;
}

ArgumentSchema ImageClassArguments::importTorchScript()
{
    const QString model = u"Model"_s, inputs = u"Inputs"_s;
    ArgumentSchema s;
    ArgumentSpec file =
        required(spec(u"model"_s, ArgType::FilePath, {}, model,
                      u"The TorchScript archive: torch.jit.script(model).save(path) or torch.jit.trace(...).save(path) "
                      "in PyTorch. It must map N×C×H×W images to N×K scores."_s));
    file.readsFile = true;
    s.add(file);
    ArgumentSpec labels =
        required(spec(u"labels"_s, ArgType::FilePath, {}, model,
                      u"A text file with one class name per line, in the order of the model's outputs."_s));
    labels.readsFile = true;
    s.add(labels);
    s.add(spec(u"input-size"_s, ArgType::Int, 224, inputs,
               u"The side of the square images the model takes, in pixels."_s, 8.0, 4096.0));
    s.add(spec(u"channels"_s, ArgType::Int, 3, inputs, u"Image channels the model takes: 3 for RGB, 1 for grey."_s, 1.0,
               1024.0));
    ArgumentSpec normalization =
        spec(u"normalization"_s, ArgType::String, u"imagenet"_s, inputs,
             u"How pixels in [0, 1] were normalised for the model: imagenet (torchvision's mean and std), "
             "none, MEAN,STD for every channel, or one mean per channel then one std per channel."_s);
    normalization.choices = {u"imagenet"_s, u"none"_s};
    s.add(normalization);
    addNewModule(s);
    return s;
}

ArgumentSchema ImageClassArguments::evaluate()
{
    ArgumentSchema s;
    s.add(required(spec(u"module"_s, ArgType::FolderPath, {}, u"Input"_s, u"The trained module's folder."_s)));
    s.add(required(spec(u"data"_s, ArgType::FolderPath, {}, u"Input"_s,
                        u"Labelled images in any dataset layout; with a test split only the test images are used."_s)));
    s.add(spec(u"predictions"_s, ArgType::FilePath, {}, u"Output"_s,
               u"Write every image's truth, prediction and probabilities to this CSV file."_s));
    s.add(precisionArgument(u"Device"_s));
    return s;
}

TrainRequest ImageClassArguments::trainRequest(const QVariantMap &args)
{
    TrainRequest r;
    r.dataPath = args.value(u"data"_s).toString();
    r.moduleDir = args.value(u"output"_s).toString();
    r.moduleId = args.value(u"name"_s).toString();
    r.title = args.value(u"title"_s).toString();  // given by the GUI: the name as typed
    r.architecture = args.value(u"arch"_s, r.architecture).toString();
    r.epochs = args.value(u"epochs"_s, r.epochs).toInt();
    r.batchSize = args.value(u"batch"_s, r.batchSize).toInt();
    r.imageSize = args.value(u"image-size"_s, r.imageSize).toInt();
    r.learningRate = args.value(u"lr"_s, r.learningRate).toDouble();
    r.warmupEpochs = args.value(u"warmup"_s, r.warmupEpochs).toDouble();
    r.weightDecay = args.value(u"weight-decay"_s, r.weightDecay).toDouble();
    r.labelSmoothing = args.value(u"label-smoothing"_s, r.labelSmoothing).toDouble();
    r.optimizer = args.value(u"optimizer"_s, r.optimizer).toString();
    r.schedule = args.value(u"schedule"_s, r.schedule).toString();
    r.balancedClassWeights = args.value(u"balanced"_s, r.balancedClassWeights).toBool();
    r.augment = args.value(u"augment"_s, r.augment).toBool();
    r.resume = args.value(u"resume"_s, r.resume).toBool();
    r.patience = args.value(u"patience"_s, r.patience).toInt();
    r.workers = args.value(u"workers"_s, r.workers).toInt();
    r.seed = args.value(u"seed"_s, qulonglong(r.seed)).toULongLong();
    r.precision = args.value(u"precision"_s, r.precision).toString();
    r.valFraction = args.value(u"val-fraction"_s, r.valFraction).toDouble();
    r.testFraction = args.value(u"test-fraction"_s, r.testFraction).toDouble();
    r.init = args.value(u"init"_s, u"auto"_s).toString().trimmed();
    r.parentDir = args.value(u"parent"_s).toString();
    // --init MODULE: a trained module's folder is a parent, as with retrain.
    if (r.parentDir.isEmpty() && QFileInfo(r.init).isDir()) {
        r.parentDir = QFileInfo(r.init).absoluteFilePath();
        r.init = u"module"_s;
    }
    r.freeze = args.value(u"freeze"_s, r.freeze).toString();
    return r;
}

}  // namespace dw::imageclass
