// SPDX-License-Identifier: MIT
// The schema the store tests share: the clinical "patients" resource of the brief with one
// field of every type and attribute, a small "stock" resource under a nested path, and the
// plain six-field "simple" resource the import benchmark uses.
#pragma once

#include "passwordhash.h"
#include "serverschema.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtTest/QTest>

namespace storetest {

inline QJsonObject schemaJson()
{
    static const QByteArray text = R"({
  "name": "clinical", "version": 1,
  "tenants": ["ward-a", "ward-b"],
  "resources": [{
    "name": "patients", "label": "Patients", "path": "/api/patients",
    "feature": "patients", "entity": "patient", "importModule": "patients",
    "fields": [
      {"name": "hn", "label": "HN", "type": "string", "required": true, "unique": true,
       "maxLength": 20, "searchable": true},
      {"name": "name", "type": "string", "required": true, "maxLength": 200, "searchable": true},
      {"name": "date_of_birth", "type": "date", "min": "1900-01-01", "notFuture": true},
      {"name": "sex", "type": "enum", "values": ["male", "female", "other", "unknown"],
       "default": "unknown"},
      {"name": "ward", "type": "string"},
      {"name": "status", "type": "enum", "values": ["admitted", "transferred", "discharged"],
       "default": "admitted"},
      {"name": "mrn", "type": "string", "unique": true},
      {"name": "weight_kg", "type": "number"},
      {"name": "bed", "type": "integer"},
      {"name": "isolation", "type": "boolean", "default": false},
      {"name": "admitted_at", "type": "datetime", "max": "2100-01-01T07:00:00+07:00"},
      {"name": "notes", "type": "text"},
      {"name": "source", "type": "string", "editable": false}
    ],
    "demo": {"count": 3, "seed": [{"hn": "HN001"}]}
  }, {
    "name": "stock", "path": "/api/inventory/stock",
    "fields": [
      {"name": "sku", "type": "string", "required": true, "unique": true},
      {"name": "qty", "type": "integer", "default": 0}
    ]
  }, {
    "name": "simple",
    "fields": [
      {"name": "code", "type": "string", "required": true, "unique": true},
      {"name": "name", "type": "string", "required": true},
      {"name": "qty", "type": "integer"},
      {"name": "price", "type": "number"},
      {"name": "active", "type": "boolean"},
      {"name": "received", "type": "date"}
    ]
  }]
})";
    QJsonObject json = QJsonDocument::fromJson(text).object();
    // Few iterations: the tests check the format, not the work factor.
    json.insert(QLatin1StringView("users"),
                QJsonArray{QJsonObject{
                    {QLatin1StringView("id"), QStringLiteral("u-nurse")},
                    {QLatin1StringView("email"), QStringLiteral("nurse@demo.local")},
                    {QLatin1StringView("name"), QStringLiteral("Nurse Joy")},
                    {QLatin1StringView("role"), QStringLiteral("nurse")},
                    {QLatin1StringView("tenant"), QStringLiteral("ward-a")},
                    {QLatin1StringView("passwordHash"),
                     livedesk::server::PasswordHash::hash(QStringLiteral("secret"), 1000)},
                }});
    return json;
}

inline livedesk::server::ServerSchema schema()
{
    livedesk::server::ServerSchema s;
    QString error;
    if (!livedesk::server::ServerSchema::fromJson(schemaJson(), &s, &error))
        qFatal("test schema refused: %s", qPrintable(error));
    return s;
}

} // namespace storetest
