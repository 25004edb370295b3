#include "plugins/imageclass/models/torch_save_format.h"

#include <c10/util/Exception.h>
#include <caffe2/serialize/in_memory_adapter.h>
#include <caffe2/serialize/inline_container.h>
#include <torch/csrc/jit/serialization/pickler.h>
#include <torch/csrc/jit/serialization/unpickler.h>

#include <algorithm>
#include <cstring>
#include <set>

namespace dw::imageclass {

namespace {

struct StackEntry {
    size_t start = 0;  // where the bytes producing this value begin in the output
    bool orderedDictClass = false;
    bool orderedDict = false;
    bool emptyTuple = false;
};

struct Mark {
    size_t depth = 0;
    size_t start = 0;
};

// Walks a protocol-2 pickle program keeping, for every value on the unpickler's stack, the
// output offset where the instructions that produce it begin, so that a value can be cut out.
class OrderedDictRewriter {
public:
    explicit OrderedDictRewriter(const std::vector<char> &in) : m_in(in) { m_out.reserve(in.size()); }

    std::optional<std::vector<char>> run()
    {
        while (m_pos < m_in.size()) {
            const size_t opStart = m_pos;
            const uint8_t op = byte(m_pos++);
            if (!step(op, opStart))
                return std::nullopt;
            if (op == '.')
                break;
        }
        return std::move(m_out);
    }
    bool changed() const { return m_changed; }

private:
    uint8_t byte(size_t at) const { return static_cast<uint8_t>(m_in[at]); }
    uint64_t littleEndian(size_t at, int bytes) const
    {
        uint64_t value = 0;
        for (int i = bytes - 1; i >= 0; --i)
            value = value << 8 | byte(at + i);
        return value;
    }
    std::optional<size_t> lineEnd(size_t from) const
    {
        const auto it = std::find(m_in.begin() + static_cast<std::ptrdiff_t>(from), m_in.end(), '\n');
        if (it == m_in.end())
            return std::nullopt;
        return static_cast<size_t>(it - m_in.begin()) + 1;
    }
    // Length of the argument that follows the opcode at m_pos; nullopt for opcodes outside
    // protocols 0-3 or a truncated program.
    std::optional<size_t> argumentLength(uint8_t op) const
    {
        auto counted = [&](int lengthBytes) -> std::optional<size_t> {
            if (m_pos + lengthBytes > m_in.size())
                return std::nullopt;
            return lengthBytes + littleEndian(m_pos, lengthBytes);
        };
        switch (op) {
        case '(':
        case '.':
        case '0':
        case '1':
        case '2':
        case 'N':
        case 'Q':
        case 'R':
        case 'a':
        case 'b':
        case 'd':
        case '}':
        case 'e':
        case 'l':
        case ']':
        case 'o':
        case 's':
        case 't':
        case ')':
        case 'u':
        case 0x81:
        case 0x85:
        case 0x86:
        case 0x87:
        case 0x88:
        case 0x89:
            return 0;
        case 'K':
        case 'h':
        case 'q':
        case 0x80:
        case 0x82:
            return 1;
        case 'M':
        case 0x83:
            return 2;
        case 'J':
        case 'j':
        case 'r':
        case 0x84:
            return 4;
        case 'G':
            return 8;
        case 'X':
        case 'T':
        case 'B':
        case 0x8b:
            return counted(4);
        case 'U':
        case 'C':
        case 0x8a:
            return counted(1);
        case 'F':
        case 'I':
        case 'L':
        case 'P':
        case 'S':
        case 'V':
        case 'g':
        case 'p': {
            const auto end = lineEnd(m_pos);
            return end ? std::optional<size_t>(*end - m_pos) : std::nullopt;
        }
        case 'c':
        case 'i': {
            const auto first = lineEnd(m_pos);
            const auto second = first ? lineEnd(*first) : std::nullopt;
            return second ? std::optional<size_t>(*second - m_pos) : std::nullopt;
        }
        default:
            return std::nullopt;
        }
    }
    bool pop(size_t count)
    {
        if (m_stack.size() < count)
            return false;
        m_stack.resize(m_stack.size() - count);
        return true;
    }
    std::optional<Mark> popMark()
    {
        if (m_marks.empty() || m_marks.back().depth > m_stack.size())
            return std::nullopt;
        Mark mark = m_marks.back();
        m_marks.pop_back();
        m_stack.resize(mark.depth);
        return mark;
    }
    uint64_t memoId(uint8_t op, size_t argStart, size_t argEnd) const
    {
        if (op == 'h' || op == 'q')
            return byte(argStart);
        if (op == 'j' || op == 'r')
            return littleEndian(argStart, 4);
        return std::strtoull(std::string(m_in.begin() + argStart, m_in.begin() + argEnd).c_str(), nullptr, 10);
    }

    bool step(uint8_t op, size_t opStart)
    {
        const auto length = argumentLength(op);
        if (!length || m_pos + *length > m_in.size())
            return false;
        const size_t argStart = m_pos;
        m_pos += *length;
        const size_t here = m_out.size();
        auto copy = [&] { m_out.insert(m_out.end(), m_in.begin() + opStart, m_in.begin() + m_pos); };
        switch (op) {
        case 'c': {
            const std::string text(m_in.begin() + argStart, m_in.begin() + m_pos);
            if (text == "collections\nOrderedDict\n") {
                m_stack.push_back({here, true});
                m_changed = true;
                return true;
            }
            copy();
            m_stack.push_back({here});
            return true;
        }
        case 'h':
        case 'j':
        case 'g':
            if (m_orderedDictMemo.count(memoId(op, argStart, m_pos))) {
                m_stack.push_back({here, true});
                return true;
            }
            copy();
            m_stack.push_back({here});
            return true;
        case 'q':
        case 'r':
        case 'p':
            if (m_stack.empty())
                return false;
            if (m_stack.back().orderedDictClass) {
                m_orderedDictMemo.insert(memoId(op, argStart, m_pos));
                return true;
            }
            copy();
            return true;
        case ')':
            copy();
            m_stack.push_back({here, false, false, true});
            return true;
        case 'N':
        case 'K':
        case 'M':
        case 'J':
        case 'G':
        case 'X':
        case 'T':
        case 'U':
        case 'B':
        case 'C':
        case 'F':
        case 'I':
        case 'L':
        case 'S':
        case 'V':
        case ']':
        case '}':
        case 'P':
        case '2':
        case 0x88:
        case 0x89:
        case 0x8a:
        case 0x8b:
            copy();
            m_stack.push_back({here});
            return true;
        case 0x80:
        case '.':
        case 'Q':
            copy();
            return op != 'Q' || !m_stack.empty();
        case '(':
            copy();
            m_marks.push_back({m_stack.size(), here});
            return true;
        case 't':
        case 'l':
        case 'd': {
            const auto mark = popMark();
            if (!mark)
                return false;
            copy();
            m_stack.push_back({mark->start});
            return true;
        }
        case 'e':
        case 'u':
        case '1':
            copy();
            return popMark().has_value();
        case 'a':
        case 's': {
            // LibTorch 1.13 knows only the batched APPENDS/SETITEMS: open a mark before the
            // item(s) and close it with the batched form.
            const size_t count = op == 'a' ? 1 : 2;
            if (m_stack.size() < count + 1)
                return false;
            m_out.insert(m_out.begin() + static_cast<std::ptrdiff_t>(m_stack[m_stack.size() - count].start), '(');
            m_out.push_back(op == 'a' ? 'e' : 'u');
            m_changed = true;
            return pop(count);
        }
        case '0':
            copy();
            return pop(1);
        case 0x85:
        case 0x86:
        case 0x87: {
            const size_t count = op - 0x84;
            if (m_stack.size() < count)
                return false;
            const size_t start = m_stack[m_stack.size() - count].start;
            copy();
            pop(count);
            m_stack.push_back({start});
            return true;
        }
        case 'R':
        case 0x81: {
            if (m_stack.size() < 2)
                return false;
            const StackEntry callable = m_stack[m_stack.size() - 2];
            const StackEntry argument = m_stack.back();
            pop(2);
            if (callable.orderedDictClass) {
                if (op != 'R' || !argument.emptyTuple)  // OrderedDict(items): not what torch.save writes
                    return false;
                m_out.resize(callable.start);
                m_out.push_back('}');
                m_stack.push_back({callable.start, false, true});
                return true;
            }
            copy();
            m_stack.push_back({callable.start});
            return true;
        }
        case 'b': {
            if (m_stack.size() < 2)
                return false;
            const StackEntry state = m_stack.back();
            const StackEntry target = m_stack[m_stack.size() - 2];
            pop(1);
            if (target.orderedDict)
                m_out.resize(state.start);  // the dict's attributes (state_dict's _metadata)
            else
                copy();
            return true;
        }
        default:  // INST, OBJ, extension registry: never in a torch.save file
            return false;
        }
    }

    const std::vector<char> &m_in;
    std::vector<char> m_out;
    size_t m_pos = 0;
    std::vector<StackEntry> m_stack;
    std::vector<Mark> m_marks;
    std::set<uint64_t> m_orderedDictMemo;
    bool m_changed = false;
};

}  // namespace

std::vector<char> rewriteOrderedDicts(const std::vector<char> &pickle)
{
    OrderedDictRewriter rewriter(pickle);
    auto rewritten = rewriter.run();
    if (!rewritten || !rewriter.changed())
        return pickle;
    return std::move(*rewritten);
}

std::vector<char> writeTorchSave(const c10::IValue &value)
{
    std::vector<char> pickle;
    torch::jit::Pickler pickler(
        [&](const char *bytes, size_t size) { pickle.insert(pickle.end(), bytes, bytes + size); },
        /*tensor_table=*/nullptr, /*type_renamer=*/nullptr, /*memoized_class_types=*/nullptr,
        /*get_tensor_id=*/nullptr, /*tag_aggregates=*/false);
    pickler.protocol();
    pickler.pushIValue(value);
    pickler.stop();

    std::vector<char> archive;
    caffe2::serialize::PyTorchStreamWriter writer([&](const void *bytes, size_t size) {
        const char *begin = static_cast<const char *>(bytes);
        archive.insert(archive.end(), begin, begin + size);
        return size;
    });
    // The layout of torch.save: data/<storage key> for each storage, then data.pkl.
    const auto &storages = pickler.tensorData();
    for (size_t i = 0; i < storages.size(); ++i) {
        const auto storage = torch::jit::getWriteableTensorData(storages[i]);
        writer.writeRecord("data/" + std::to_string(i), storage.data(), storage.sizeInBytes());
    }
    writer.writeRecord("data.pkl", pickle.data(), pickle.size());
    writer.writeEndOfFile();
    return archive;
}

std::optional<c10::IValue> readTorchSave(const std::vector<char> &bytes, std::string *error)
{
    try {
        auto adapter =
            std::make_shared<caffe2::serialize::MemoryReadAdapter>(bytes.data(), static_cast<off_t>(bytes.size()));
        caffe2::serialize::PyTorchStreamReader reader(adapter);
        if (!reader.hasRecord("data.pkl")) {
            if (error)
                *error = "the archive holds no data.pkl: it was not written by torch.save";
            return std::nullopt;
        }
        auto [pickleData, pickleSize] = reader.getRecord("data.pkl");
        const char *begin = static_cast<const char *>(pickleData.get());
        const std::vector<char> pickle = rewriteOrderedDicts(std::vector<char>(begin, begin + pickleSize));
        size_t offset = 0;
        auto readPickle = [&](char *buffer, size_t length) -> size_t {
            const size_t count = std::min(length, pickle.size() - offset);
            std::memcpy(buffer, pickle.data() + offset, count);
            offset += count;
            return count;
        };
        auto readRecord = [&](const std::string &name) { return std::get<0>(reader.getRecord("data/" + name)); };
        torch::jit::Unpickler unpickler(readPickle, nullptr, nullptr, readRecord, c10::Device(c10::kCPU));
        unpickler.set_version(reader.version());
        return unpickler.parse_ivalue();
    } catch (const c10::Error &e) {
        if (error)
            *error = e.what_without_backtrace();
    } catch (const std::exception &e) {
        if (error)
            *error = e.what();
    }
    return std::nullopt;
}

}  // namespace dw::imageclass
