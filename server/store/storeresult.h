// SPDX-License-Identifier: MIT
#pragma once

#include "apierror.h"

#include <utility>
#include <variant>

namespace livedesk::server {

/**
 * The outcome of a store operation: a value or the ApiError to send back.
 *
 * Every operation that can be refused returns one of these rather than a bool plus an out
 * parameter, so a caller cannot use a value that is not there: value() on an error (or error()
 * on a value) is a programming mistake and asserts.
 *
 * @code
 * const auto created = store.create(u"patients"_s, tenant, userId, body);
 * if (!created)
 *     return reply(created.error().httpStatus(), created.error().toEnvelope());
 * use(created.value());
 * @endcode
 */
template<typename T> class StoreResult
{
public:
    StoreResult(T value)
        : m_data(std::in_place_index<0>, std::move(value))
    {
    }
    StoreResult(ApiError error)
        : m_data(std::in_place_index<1>, std::move(error))
    {
    }

    bool ok() const { return m_data.index() == 0; }
    explicit operator bool() const { return ok(); }

    const T &value() const
    {
        Q_ASSERT(ok());
        return std::get<0>(m_data);
    }
    T &value()
    {
        Q_ASSERT(ok());
        return std::get<0>(m_data);
    }
    /// Moves the value out (the result is left holding a moved-from value).
    T takeValue()
    {
        Q_ASSERT(ok());
        return std::move(std::get<0>(m_data));
    }
    const ApiError &error() const
    {
        Q_ASSERT(!ok());
        return std::get<1>(m_data);
    }

private:
    std::variant<T, ApiError> m_data;
};

} // namespace livedesk::server
