// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QList>
#include <QtCore/QString>

namespace livedesk::server {

/**
 * A `multipart/form-data` request body (RFC 7578), split into its parts.
 *
 * Qt's HTTP server has no parser for uploads, and browsers, curl and QHttpMultiPart all send
 * files this way. Only what an upload form needs is read: each part's field name, file name,
 * content type and bytes (no nested multiparts, no `filename*` encodings). Parts are not
 * decoded: a CSV part stays the bytes the client sent.
 */
class MultipartForm
{
public:
    class Part
    {
    public:
        /// The form field name (`name=` of Content-Disposition).
        QByteArray name;
        /// The uploaded file's name, empty for plain fields.
        QByteArray fileName;
        QByteArray contentType;
        QByteArray body;
    };

    /// True when @p contentType is `multipart/form-data` (with any parameters).
    static bool isMultipart(const QByteArray &contentType);

    /**
     * Splits @p body by the boundary named in @p contentType. False with a sentence in
     * @p error when there is no boundary or the body does not follow it (a truncated upload).
     */
    static bool parse(const QByteArray &contentType, const QByteArray &body, MultipartForm *out,
                      QString *error);

    QList<Part> parts() const { return m_parts; }
    /// The part named @p name, or nullptr.
    const Part *part(QByteArrayView name) const;
    /// The first part that carries a file name, or nullptr.
    const Part *firstFile() const;

private:
    QList<Part> m_parts;
};

} // namespace livedesk::server
