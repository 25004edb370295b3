#pragma once
// Errors are values at core's API: a Result<T> holds either a value or an Error whose
// message tells a scientist what went wrong and what to do about it.
#include <QString>

#include <optional>
#include <utility>
#include <variant>

namespace dw {

struct Error {
    QString message;  // what is wrong and what to do, in the user's words
    QString field;    // the argument, manifest field or file it is about; may be empty

    static Error at(QString field, QString message) { return {std::move(message), std::move(field)}; }
    // "field: message" when a field is known, else the message.
    QString text() const { return field.isEmpty() ? message : field + QStringLiteral(": ") + message; }
};

template <class T>
class [[nodiscard]] Result {
public:
    Result(T value) : m_value(std::move(value)) {}
    Result(Error error) : m_value(std::move(error)) {}

    bool ok() const { return std::holds_alternative<T>(m_value); }
    explicit operator bool() const { return ok(); }

    const T &value() const & { return std::get<T>(m_value); }
    T &value() & { return std::get<T>(m_value); }
    T &&value() && { return std::get<T>(std::move(m_value)); }
    const T &operator*() const & { return value(); }
    T &operator*() & { return value(); }
    const T *operator->() const { return &value(); }
    T *operator->() { return &value(); }
    T valueOr(T fallback) const { return ok() ? value() : std::move(fallback); }

    const Error &error() const { return std::get<Error>(m_value); }

private:
    std::variant<T, Error> m_value;
};

template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : m_error(std::move(error)) {}

    bool ok() const { return !m_error.has_value(); }
    explicit operator bool() const { return ok(); }
    const Error &error() const { return *m_error; }

private:
    std::optional<Error> m_error;
};

inline Result<void> success()
{
    return {};
}
inline Error failure(QString message, QString field = {})
{
    return Error{std::move(message), std::move(field)};
}

}  // namespace dw
