#include "plugins/imageclass/models/state_dict.h"

#include "plugins/imageclass/models/classifier.h"
#include "plugins/imageclass/models/torch_save_format.h"

#include <c10/util/Exception.h>
#include <caffe2/serialize/in_memory_adapter.h>
#include <caffe2/serialize/inline_container.h>
#include <torch/csrc/jit/serialization/import.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace dw::imageclass {

namespace {

constexpr size_t kListedPerKind = 8;

void collect(const torch::nn::Module &module, const std::string &prefix, NamedTensors &out)
{
    for (const auto &parameter : module.named_parameters(/*recurse=*/false))
        if (parameter.value().defined())
            out.emplace_back(prefix + parameter.key(), parameter.value());
    for (const auto &buffer : module.named_buffers(/*recurse=*/false))
        if (buffer.value().defined())
            out.emplace_back(prefix + buffer.key(), buffer.value());
    for (const auto &child : module.named_children())
        collect(*child.value(), prefix + child.key() + ".", out);
}

bool fail(std::string *error, std::string message)
{
    if (error)
        *error = std::move(message);
    return false;
}

bool startsWith(const std::string &text, const std::string &prefix)
{
    return text.rfind(prefix, 0) == 0;
}

std::string listed(const std::vector<std::string> &names)
{
    std::string text;
    for (size_t i = 0; i < names.size() && i < kListedPerKind; ++i)
        text += (i ? ", " : "") + names[i];
    if (names.size() > kListedPerKind)
        text += " and " + std::to_string(names.size() - kListedPerKind) + " more";
    return text;
}

std::string shapeText(const torch::Tensor &tensor)
{
    std::ostringstream text;
    text << tensor.sizes();
    return text.str();
}

// The weights of a dict: string keys with tensor values, or such a dict one level down in
// a checkpoint.
std::optional<NamedTensors> tensorsOf(const c10::IValue &value)
{
    if (!value.isGenericDict())
        return std::nullopt;
    NamedTensors entries;
    const auto dict = value.toGenericDict();
    for (const auto &item : dict)
        if (item.key().isString() && item.value().isTensor())
            entries.emplace_back(item.key().toStringRef(), item.value().toTensor());
    if (!entries.empty())
        return entries;
    for (const char *key : {"state_dict", "model_state_dict", "model", "state"}) {
        const auto found = dict.find(c10::IValue(std::string(key)));
        if (found != dict.end())
            if (auto nested = tensorsOf(found->value()))
                return nested;
    }
    return std::nullopt;
}

void stripDataParallelPrefix(NamedTensors &entries)
{
    const std::string prefix = "module.";
    for (const auto &entry : entries)
        if (!startsWith(entry.first, prefix))
            return;
    for (auto &entry : entries)
        entry.first.erase(0, prefix.size());
}

bool isTorchScriptArchive(const std::vector<char> &bytes)
{
    auto adapter =
        std::make_shared<caffe2::serialize::MemoryReadAdapter>(bytes.data(), static_cast<off_t>(bytes.size()));
    caffe2::serialize::PyTorchStreamReader reader(adapter);
    return reader.hasRecord("constants.pkl");
}

NamedTensors readTorchScript(const std::vector<char> &bytes)
{
    std::istringstream stream(std::string(bytes.begin(), bytes.end()));
    const torch::jit::Module module = torch::jit::load(stream, torch::Device(torch::kCPU));
    NamedTensors entries;
    for (const auto &parameter : module.named_parameters(/*recurse=*/true))
        entries.emplace_back(parameter.name, parameter.value);
    for (const auto &buffer : module.named_buffers(/*recurse=*/true))
        entries.emplace_back(buffer.name, buffer.value);
    return entries;
}

std::string describe(const torch::nn::Module &module)
{
    if (const auto *classifier = dynamic_cast<const ClassifierImpl *>(&module))
        return "this " + classifier->architecture() + " (" + std::to_string(classifier->inChannels()) +
               " input channels, " + std::to_string(classifier->numClasses()) + " classes)";
    return "this model";
}

// When only the classifier differs, say how many classes the file was trained for.
std::string headHint(const torch::nn::Module &module, const std::vector<std::string> &problemNames,
                     const std::map<std::string, torch::Tensor> &file)
{
    const auto *classifier = dynamic_cast<const ClassifierImpl *>(&module);
    if (!classifier || problemNames.empty())
        return {};
    const std::string head = classifier->headName() + ".";
    for (const std::string &name : problemNames)
        if (!startsWith(name, head))
            return {};
    for (const auto &[name, tensor] : file)
        if (startsWith(name, head) && tensor.dim() == 2)
            return "\nOnly the classifier head differs: the file was trained for " + std::to_string(tensor.size(0)) +
                   " classes. To re-train it for other classes, build the model with " +
                   std::to_string(tensor.size(0)) + " classes, load, then replace the head.";
    return {};
}

}  // namespace

NamedTensors stateDict(const torch::nn::Module &module)
{
    NamedTensors entries;
    collect(module, "", entries);
    return entries;
}

std::vector<char> stateDictBytes(const torch::nn::Module &module)
{
    c10::Dict<std::string, torch::Tensor> dict;
    for (const auto &[name, tensor] : stateDict(module))
        dict.insert(name, tensor.detach().to(torch::kCPU).contiguous());
    return writeTorchSave(dict);
}

bool saveStateDict(const torch::nn::Module &module, const std::string &path, std::string *error)
{
    std::vector<char> bytes;
    try {
        bytes = stateDictBytes(module);
    } catch (const c10::Error &e) {
        return fail(error, "Could not serialise the weights: " + std::string(e.what_without_backtrace()));
    }
    // Written beside the target and renamed, so that a crash never leaves half a file.
    const std::string partial = path + ".part";
    {
        std::ofstream out(partial, std::ios::binary | std::ios::trunc);
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        out.close();
        if (!out) {
            std::remove(partial.c_str());
            return fail(error, "Could not write the weights to '" + path +
                                   "': check the folder exists, is writable "
                                   "and the disk is not full.");
        }
    }
    std::error_code code;
    std::filesystem::rename(partial, path, code);
    if (code) {
        std::remove(partial.c_str());
        return fail(error, "Could not write the weights to '" + path + "': " + code.message());
    }
    return true;
}

std::optional<NamedTensors> readStateDictBytes(const std::vector<char> &bytes, std::string *error)
{
    const bool zip = bytes.size() >= 4 && bytes[0] == 'P' && bytes[1] == 'K' && bytes[2] == 3 && bytes[3] == 4;
    if (!zip) {
        if (!bytes.empty() && static_cast<uint8_t>(bytes[0]) == 0x80)
            fail(error, "it is in PyTorch's legacy format (PyTorch older than 1.6, or "
                        "_use_new_zipfile_serialization=False). Load it in Python and save it again with "
                        "torch.save(model.state_dict(), path).");
        else
            fail(error, "it is not a PyTorch weights file (expected what torch.save or torch.jit.save writes).");
        return std::nullopt;
    }
    try {
        NamedTensors entries;
        if (isTorchScriptArchive(bytes)) {
            entries = readTorchScript(bytes);
        } else {
            std::string why;
            const auto value = readTorchSave(bytes, &why);
            if (!value) {
                if (why.find("unknown type") != std::string::npos ||
                    why.find("unknown torch global") != std::string::npos)
                    fail(error, "it holds a pickled Python object rather than weights (" + why +
                                    "). In Python, save the weights with torch.save(model.state_dict(), path).");
                else
                    fail(error, "it could not be read: " + why);
                return std::nullopt;
            }
            auto tensors = tensorsOf(*value);
            if (!tensors) {
                fail(error, "it holds no named tensors (expected a state_dict: a dict from parameter names to "
                            "tensors).");
                return std::nullopt;
            }
            entries = std::move(*tensors);
        }
        stripDataParallelPrefix(entries);
        return entries;
    } catch (const c10::Error &e) {
        fail(error, "it could not be read: " + std::string(e.what_without_backtrace()));
    } catch (const std::exception &e) {
        fail(error, "it could not be read: " + std::string(e.what()));
    }
    return std::nullopt;
}

std::optional<NamedTensors> readStateDict(const std::string &path, std::string *error)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        fail(error, "Cannot open the weights file '" + path + "': check that it exists and is readable.");
        return std::nullopt;
    }
    std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::string why;
    auto entries = readStateDictBytes(bytes, &why);
    if (!entries)
        fail(error, "Cannot read the weights file '" + path + "': " + why);
    return entries;
}

bool applyStateDict(torch::nn::Module &module, const NamedTensors &entries, std::string *error,
                    const LoadOptions &options)
{
    auto skipped = [&](const std::string &name) {
        for (const std::string &prefix : options.skipPrefixes)
            if (startsWith(name, prefix))
                return true;
        return false;
    };
    const std::map<std::string, torch::Tensor> file(entries.begin(), entries.end());
    const NamedTensors own = stateDict(module);
    std::map<std::string, bool> ownNames;
    std::vector<std::string> missing, unexpected, mismatched, problemNames;
    std::vector<std::pair<torch::Tensor, torch::Tensor>> copies;
    for (const auto &[name, target] : own) {
        ownNames[name] = true;
        if (skipped(name))
            continue;
        const auto found = file.find(name);
        if (found == file.end()) {
            missing.push_back(name);
            problemNames.push_back(name);
            continue;
        }
        const torch::Tensor &source = found->second;
        if (source.sizes() != target.sizes()) {
            mismatched.push_back(name + ": shape " + shapeText(source) + " in the file, " + shapeText(target) +
                                 " expected");
            problemNames.push_back(name);
        } else {  // any dtype: LibTorch's Module::to(dtype) converts even num_batches_tracked
            copies.emplace_back(target, source);
        }
    }
    for (const auto &[name, tensor] : entries)
        if (!ownNames.count(name) && !skipped(name)) {
            unexpected.push_back(name);
            problemNames.push_back(name);
        }

    const bool fits = missing.empty() && unexpected.empty() && mismatched.empty();
    if (!fits) {
        std::string message = "The weights do not fit " + describe(module) + ":";
        for (size_t i = 0; i < mismatched.size() && i < kListedPerKind; ++i)
            message += "\n" + mismatched[i];
        if (mismatched.size() > kListedPerKind)
            message += "\n... and " + std::to_string(mismatched.size() - kListedPerKind) + " more of other shapes";
        if (!missing.empty())
            message += "\nmissing: " + listed(missing);
        if (!unexpected.empty())
            message += "\nunexpected: " + listed(unexpected);
        message += headHint(module, problemNames, file);
        fail(error, message);
        if (options.strict)
            return false;
    } else if (error) {
        error->clear();
    }
    try {
        torch::NoGradGuard noGrad;
        for (auto &[target, source] : copies)
            target.copy_(source);
    } catch (const c10::Error &e) {  // out of device memory, mostly
        return fail(error, "Could not copy the weights into the model: " + std::string(e.what_without_backtrace()));
    }
    return true;
}

bool loadStateDict(torch::nn::Module &module, const std::string &path, std::string *error, const LoadOptions &options)
{
    const auto entries = readStateDict(path, error);
    if (!entries)
        return false;
    std::string why;
    const bool loaded = applyStateDict(module, *entries, &why, options);
    if (error)
        *error = why.empty() ? std::string() : "'" + path + "': " + why;
    return loaded;
}

}  // namespace dw::imageclass
