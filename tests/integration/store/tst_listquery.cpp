// SPDX-License-Identifier: MIT
// ListQuery: parsing the AegisX list query against a resource, and refusing what is wrong
// with every problem listed.

#include "listquery.h"
#include "storetestschema.h"

#include <QtCore/QUrlQuery>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace livedesk::server;

namespace {

const ServerSchema &schema()
{
    static const ServerSchema s = storetest::schema();
    return s;
}

const ResourceSpec &patients()
{
    return *schema().resourceByName(u"patients");
}

StoreResult<ListQuery> parse(const QString &query)
{
    return ListQuery::fromQueryString(query, patients());
}

ListQuery parseOk(const QString &query)
{
    auto r = parse(query);
    if (!r) {
        qWarning().noquote()
            << query << "was refused:"
            << QJsonDocument(r.error().toEnvelope()).toJson(QJsonDocument::Compact);
        return {};
    }
    return r.takeValue();
}

QStringList detailCodes(const ApiError &e)
{
    QStringList codes;
    for (const QJsonValue d : e.details())
        codes.append(d.toObject().value("field"_L1).toString() + u':'
                     + d.toObject().value("code"_L1).toString());
    return codes;
}

} // namespace

class TestListQuery : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void defaults();
    void paging();
    void badPaging_data();
    void badPaging();
    void sortKeys();
    void legacySort();
    void badSort();
    void searchDecoding();
    void limitsAreSaid();
    void fields();
    void typedFilters();
    void repeatedFilterMatchesAny();
    void emptyFilterIsNoFilter();
    void minMax();
    void minMaxNeedsAnOrderedField();
    void unknownParametersAreRefused();
    void wellKnownParametersAreIgnored();
    void everyProblemIsReported();
    void fromUrlQuery();
};

void TestListQuery::defaults()
{
    const ListQuery q = parseOk(QString());
    QCOMPARE(q.page, 1);
    QCOMPARE(q.limit, 20);
    QCOMPARE(q.offset(), 0);
    QVERIFY(q.sort.isEmpty());
    QVERIFY(q.search.isEmpty());
    QVERIFY(q.fields.isEmpty());
    QVERIFY(q.filters.isEmpty());
}

void TestListQuery::paging()
{
    ListQuery q = parseOk(u"page=3&limit=50"_s);
    QCOMPARE(q.page, 3);
    QCOMPARE(q.limit, 50);
    QCOMPARE(q.offset(), 100);
    q = parseOk(u"limit=1000"_s);
    QCOMPARE(q.limit, 1000);
    q = parseOk(u"limit=1&page=2147483647"_s);
    QCOMPARE(q.offset(), 2147483646LL);
}

void TestListQuery::badPaging_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("code");
    QTest::newRow("limit above 1000") << u"limit=1001"_s << u"limit:OUT_OF_RANGE"_s;
    QTest::newRow("limit 0") << u"limit=0"_s << u"limit:OUT_OF_RANGE"_s;
    QTest::newRow("limit negative") << u"limit=-5"_s << u"limit:OUT_OF_RANGE"_s;
    QTest::newRow("limit text") << u"limit=ten"_s << u"limit:INVALID_TYPE"_s;
    QTest::newRow("limit fraction") << u"limit=2.5"_s << u"limit:INVALID_TYPE"_s;
    QTest::newRow("page 0") << u"page=0"_s << u"page:OUT_OF_RANGE"_s;
    QTest::newRow("page huge") << u"page=99999999999"_s << u"page:OUT_OF_RANGE"_s;
    QTest::newRow("page twice") << u"page=1&page=2"_s << u"page:INVALID_TYPE"_s;
}

void TestListQuery::badPaging()
{
    QFETCH(QString, query);
    QFETCH(QString, code);
    const auto r = parse(query);
    QVERIFY(!r);
    QCOMPARE(r.error().code(), u"VALIDATION_ERROR"_s);
    QCOMPARE(r.error().httpStatus(), 400);
    QCOMPARE(detailCodes(r.error()), QStringList{code});
}

void TestListQuery::sortKeys()
{
    const ListQuery q = parseOk(u"sort=ward:asc,name:desc,bed&sort=created_at:DESC"_s);
    QCOMPARE(q.sort.size(), 4);
    QCOMPARE(q.sort[0].field, u"ward"_s);
    QVERIFY(!q.sort[0].descending);
    QCOMPARE(q.sort[1].field, u"name"_s);
    QVERIFY(q.sort[1].descending);
    QCOMPARE(q.sort[2].field, u"bed"_s);
    QVERIFY(!q.sort[2].descending);
    QCOMPARE(q.sort[3].field, u"created_at"_s); // system fields sort too
    QVERIFY(q.sort[3].descending);
}

void TestListQuery::legacySort()
{
    ListQuery q = parseOk(u"sortBy=name&sortOrder=desc"_s);
    QCOMPARE(q.sort.size(), 1);
    QCOMPARE(q.sort[0].field, u"name"_s);
    QVERIFY(q.sort[0].descending);
    // sort wins over the legacy pair.
    q = parseOk(u"sortBy=name&sort=bed:asc"_s);
    QCOMPARE(q.sort.size(), 1);
    QCOMPARE(q.sort[0].field, u"bed"_s);
    QVERIFY(!parse(u"sortBy=nope"_s));
}

void TestListQuery::badSort()
{
    auto r = parse(u"sort=nope:asc"_s);
    QVERIFY(!r);
    QCOMPARE(detailCodes(r.error()), QStringList{u"sort:UNKNOWN_FIELD"_s});
    r = parse(u"sort=name:sideways"_s);
    QVERIFY(!r);
    QCOMPARE(detailCodes(r.error()), QStringList{u"sort:INVALID_TYPE"_s});
    r = parse(u"sort=tenant"_s); // never visible, never sortable
    QVERIFY(!r);
}

void TestListQuery::searchDecoding()
{
    QCOMPARE(parseOk(u"search=Nurse+Joy"_s).search, u"Nurse Joy"_s);
    QCOMPARE(parseOk(u"search=C%2B%2B"_s).search, u"C++"_s);
    QCOMPARE(parseOk(u"search=50%25_off"_s).search, u"50%_off"_s);
    QCOMPARE(parseOk(u"search=%E0%B8%AA%E0%B8%A1"_s).search, u"สม"_s);
    QCOMPARE(parseOk(u"search=++x++"_s).search, u"x"_s); // trimmed
    QVERIFY(parseOk(u"search="_s).search.isEmpty());
}

void TestListQuery::limitsAreSaid()
{
    QCOMPARE(parseOk(u"search="_s + QString(ListQuery::maxSearchLength, u'x')).search.size(),
             ListQuery::maxSearchLength);
    auto r = parse(u"search="_s + QString(ListQuery::maxSearchLength + 1, u'x'));
    QVERIFY(!r);
    QCOMPARE(detailCodes(r.error()), QStringList{u"search:MAX_LENGTH"_s});

    r = parse(u"search=a%00b"_s);
    QVERIFY(!r);
    QCOMPARE(detailCodes(r.error()), QStringList{u"search:INVALID_TYPE"_s});
    r = parse(u"name=a%00b"_s);
    QVERIFY(!r);
    QCOMPARE(detailCodes(r.error()), QStringList{u"name:INVALID_TYPE"_s});

    r = parse(u"name="_s + QString(ListQuery::maxValueLength + 1, u'x'));
    QVERIFY(!r);
    QCOMPARE(detailCodes(r.error()), QStringList{u"name:MAX_LENGTH"_s});

    // The whole query string is bounded too (a thousand repeated filters, say).
    QString many;
    for (int i = 0; many.size() <= ListQuery::maxQueryLength; ++i)
        many += u"ward=ICU&"_s;
    r = parse(many);
    QVERIFY(!r);
    QCOMPARE(detailCodes(r.error()), QStringList{u"query:MAX_LENGTH"_s});
}

void TestListQuery::fields()
{
    ListQuery q = parseOk(u"fields=name&fields=ward"_s);
    QCOMPARE(q.fields, QStringList({u"id"_s, u"name"_s, u"ward"_s}));
    q = parseOk(u"fields=name,ward,version"_s);
    QCOMPARE(q.fields, QStringList({u"id"_s, u"name"_s, u"ward"_s, u"version"_s}));
    q = parseOk(u"fields=ward,id,ward&fields%5B%5D=hn"_s);
    QCOMPARE(q.fields, QStringList({u"id"_s, u"ward"_s, u"hn"_s}));
    const auto r = parse(u"fields=name,secret"_s);
    QVERIFY(!r);
    QCOMPARE(detailCodes(r.error()), QStringList{u"fields:UNKNOWN_FIELD"_s});
}

void TestListQuery::typedFilters()
{
    const ListQuery q = parseOk(
        u"ward=3A&bed=12&isolation=true&sex=FEMALE&date_of_birth=1980-02-29&weight_kg=70.5"_s);
    QCOMPARE(q.filters.size(), 6);
    auto find = [&q](const QString &name) {
        for (const auto &f : q.filters) {
            if (f.field == name)
                return f;
        }
        return ListQuery::Filter{};
    };
    QCOMPARE(find(u"ward"_s).values, QJsonArray{u"3A"_s});
    QCOMPARE(find(u"bed"_s).values, QJsonArray{12});
    QCOMPARE(find(u"isolation"_s).values, QJsonArray{true});
    QCOMPARE(find(u"sex"_s).values, QJsonArray{u"female"_s}); // the declared spelling
    QCOMPARE(find(u"date_of_birth"_s).values, QJsonArray{u"1980-02-29"_s});
    QCOMPARE(find(u"weight_kg"_s).values, QJsonArray{70.5});
    QCOMPARE(find(u"bed"_s).op, ListQuery::FilterOp::Equals);

    const QList<std::pair<QString, QString>> bad{
        {u"bed=twelve"_s, u"bed:INVALID_TYPE"_s},
        {u"bed=1.5"_s, u"bed:INVALID_TYPE"_s},
        {u"isolation=maybe"_s, u"isolation:INVALID_TYPE"_s},
        {u"sex=robot"_s, u"sex:INVALID_ENUM"_s},
        {u"date_of_birth=1981-02-29"_s, u"date_of_birth:INVALID_DATE"_s},
        {u"weight_kg=70,5"_s, u"weight_kg:INVALID_TYPE"_s},
        {u"id=abc"_s, u"id:INVALID_TYPE"_s},
    };
    for (const auto &[query, code] : bad) {
        const auto r = parse(query);
        QVERIFY2(!r, qPrintable(query));
        QCOMPARE(detailCodes(r.error()), QStringList{code});
    }
}

void TestListQuery::repeatedFilterMatchesAny()
{
    const ListQuery q = parseOk(u"status=admitted&status=transferred"_s);
    QCOMPARE(q.filters.size(), 1);
    QCOMPARE(q.filters[0].values, QJsonArray({u"admitted"_s, u"transferred"_s}));
}

void TestListQuery::emptyFilterIsNoFilter()
{
    const ListQuery q = parseOk(u"ward=&status=&bed_min="_s);
    QVERIFY(q.filters.isEmpty());
}

void TestListQuery::minMax()
{
    const ListQuery q = parseOk(
        u"bed_min=2&bed_max=10&date_of_birth_min=1970-01-01&admitted_at_max=2024-05-01T10:00:00%2B07:00&id_min=5&created_at_min=2024-01-01T00:00:00Z"_s);
    QCOMPARE(q.filters.size(), 6);
    QCOMPARE(q.filters[0].field, u"bed"_s);
    QCOMPARE(q.filters[0].op, ListQuery::FilterOp::Min);
    QCOMPARE(q.filters[1].op, ListQuery::FilterOp::Max);
    QCOMPARE(q.filters[1].values, QJsonArray{10});
    QCOMPARE(q.filters[2].values, QJsonArray{u"1970-01-01"_s});
    // Datetimes are normalized to UTC so that they compare as text.
    QCOMPARE(q.filters[3].values, QJsonArray{u"2024-05-01T03:00:00.000Z"_s});
    QCOMPARE(q.filters[4].field, u"id"_s);
    QCOMPARE(q.filters[5].field, u"created_at"_s);

    const auto twice = parse(u"bed_min=1&bed_min=2"_s);
    QVERIFY(!twice);
}

void TestListQuery::minMaxNeedsAnOrderedField()
{
    for (const QString &query : {u"ward_min=A"_s, u"isolation_max=true"_s, u"sex_min=male"_s}) {
        const auto r = parse(query);
        QVERIFY2(!r, qPrintable(query));
        QCOMPARE(r.error().details().first().toObject().value("code"_L1).toString(),
                 u"INVALID_FILTER"_s);
    }
}

void TestListQuery::unknownParametersAreRefused()
{
    for (const QString &query :
         {u"colour=red"_s, u"tenant=ward-b"_s, u"Ward=3A"_s, u"nope_min=3"_s, u"q=x"_s}) {
        const auto r = parse(query);
        QVERIFY2(!r, qPrintable(query));
        QCOMPARE(r.error().code(), u"VALIDATION_ERROR"_s);
        QCOMPARE(r.error().details().first().toObject().value("code"_L1).toString(),
                 u"UNKNOWN_FIELD"_s);
    }
}

void TestListQuery::wellKnownParametersAreIgnored()
{
    const ListQuery q = parseOk(u"_=1700000000000&_debug=1&include=ward&limit=5"_s);
    QCOMPARE(q.limit, 5);
    QVERIFY(q.filters.isEmpty());
}

void TestListQuery::everyProblemIsReported()
{
    const auto r = parse(u"limit=5000&sort=nope&bed=x&colour=red&fields=zzz"_s);
    QVERIFY(!r);
    QCOMPARE(detailCodes(r.error()),
             QStringList({u"limit:OUT_OF_RANGE"_s, u"sort:UNKNOWN_FIELD"_s, u"bed:INVALID_TYPE"_s,
                          u"colour:UNKNOWN_FIELD"_s, u"fields:UNKNOWN_FIELD"_s}));
    const QJsonObject envelope = r.error().toEnvelope();
    QCOMPARE(envelope.value("success"_L1), QJsonValue(false));
    QCOMPARE(envelope.value("error"_L1).toObject().value("statusCode"_L1).toInt(), 400);
    QCOMPARE(envelope.value("error"_L1).toObject().value("details"_L1).toArray().size(), 5);
    const QJsonObject first
        = envelope.value("error"_L1).toObject().value("details"_L1).toArray().first().toObject();
    QCOMPARE(first.value("value"_L1).toString(), u"5000"_s);
    QVERIFY(!first.value("message"_L1).toString().isEmpty());
}

void TestListQuery::fromUrlQuery()
{
    QUrlQuery query;
    query.setQuery(u"page=2&search=a+b%2Bc&sort=name:desc&fields=ward&status=admitted"_s);
    const auto r = ListQuery::fromUrlQuery(query, patients());
    QVERIFY(r);
    QCOMPARE(r.value().page, 2);
    QCOMPARE(r.value().search, u"a b+c"_s);
    QCOMPARE(r.value().sort.first().field, u"name"_s);
    QCOMPARE(r.value().fields, QStringList({u"id"_s, u"ward"_s}));
    QCOMPARE(r.value().filters.size(), 1);

    // A URL as QUrl gives it to the HTTP layer.
    const QUrl url(u"http://localhost/api/patients?search=50%25%20off&limit=3"_s);
    const auto fromUrl = ListQuery::fromUrlQuery(QUrlQuery(url), patients());
    QVERIFY(fromUrl);
    QCOMPARE(fromUrl.value().search, u"50% off"_s);
    QCOMPARE(fromUrl.value().limit, 3);
}

QTEST_GUILESS_MAIN(TestListQuery)
#include "tst_listquery.moc"
