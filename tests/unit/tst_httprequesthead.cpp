// SPDX-License-Identifier: MIT
// HttpRequestHead: the head HttpListener judges a request by before its body is read. A head
// whose body could be framed two ways is refused, so that the listener and Qt's parser behind
// it never disagree about where one request ends and the next begins.

#include "httprequesthead.h"

#include <QtTest/QTest>

using livedesk::server::HttpRequestHead;

class TestHttpRequestHead : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void headLength_data()
    {
        QTest::addColumn<QByteArray>("data");
        QTest::addColumn<qsizetype>("length");
        QTest::newRow("crlf") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\n\r\nbody")
                              << qsizetype(27);
        QTest::newRow("lf") << QByteArray("GET / HTTP/1.1\nHost: a\n\nbody") << qsizetype(24);
        QTest::newRow("leading blank lines")
            << QByteArray("\r\n\r\nGET / HTTP/1.1\r\n\r\n") << qsizetype(22);
        QTest::newRow("incomplete") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\n") << qsizetype(-1);
        QTest::newRow("empty") << QByteArray() << qsizetype(-1);
    }
    void headLength()
    {
        QFETCH(QByteArray, data);
        QFETCH(qsizetype, length);
        QCOMPARE(HttpRequestHead::headLength(data), length);
    }

    void parsesAHead()
    {
        const auto head
            = HttpRequestHead::parse("POST /api/patients%20x?q=1 HTTP/1.0\r\nContent-Length: 12\r\n"
                                     "Connection: Keep-Alive\r\nX-Empty:\r\n\r\n");
        QVERIFY(head);
        QCOMPARE(head->method, QByteArray("POST"));
        QCOMPARE(head->path, QStringLiteral("/api/patients x"));
        QCOMPARE(head->minorVersion, 0);
        QCOMPARE(head->contentLength, 12);
        QVERIFY(!head->chunked);
        QVERIFY(head->hasBody());
        QVERIFY(head->keepAlive());
        QCOMPARE(head->value("x-empty"), QByteArray());
    }

    void chunked()
    {
        const auto head
            = HttpRequestHead::parse("POST / HTTP/1.1\r\nTransfer-Encoding:  Chunked \r\n\r\n");
        QVERIFY(head);
        QVERIFY(head->chunked);
        QCOMPARE(head->contentLength, -1);
        QVERIFY(head->hasBody());
    }

    void sameLengthTwiceIsOneLength()
    {
        const auto head = HttpRequestHead::parse(
            "POST / HTTP/1.1\r\nContent-Length: 5\r\ncontent-length: 5\r\n\r\n");
        QVERIFY(head);
        QCOMPARE(head->contentLength, 5);
    }

    void ambiguousBodiesAreRefused_data()
    {
        QTest::addColumn<QByteArray>("head");
        QTest::newRow("signed length") << QByteArray("Content-Length: +5\r\n");
        QTest::newRow("negative length") << QByteArray("Content-Length: -1\r\n");
        QTest::newRow("length list") << QByteArray("Content-Length: 5, 5\r\n");
        QTest::newRow("hex length") << QByteArray("Content-Length: 0x10\r\n");
        QTest::newRow("two lengths") << QByteArray("Content-Length: 5\r\nContent-Length: 50\r\n");
        QTest::newRow("length and chunked")
            << QByteArray("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n");
        QTest::newRow("chunked not last") << QByteArray("Transfer-Encoding: chunked, gzip\r\n");
        QTest::newRow("chunked after gzip") << QByteArray("Transfer-Encoding: gzip, chunked\r\n");
        QTest::newRow("headers after a line of blanks")
            << QByteArray("X-A: 1\r\n \r\nContent-Length: 2000000000\r\n");
        QTest::newRow("smuggling after a tab line")
            << QByteArray("\t\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n");
        QTest::newRow("unknown coding") << QByteArray("Transfer-Encoding: identity\r\n");
        QTest::newRow("two codings headers")
            << QByteArray("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n");
        QTest::newRow("space before colon") << QByteArray("Content-Length : 5\r\n");
        QTest::newRow("folded line") << QByteArray("X-A: 1\r\n Content-Length: 5\r\n");
        QTest::newRow("huge length") << QByteArray("Content-Length: 99999999999999999999\r\n");
    }
    void ambiguousBodiesAreRefused()
    {
        QFETCH(QByteArray, head);
        QVERIFY(!HttpRequestHead::parse("POST / HTTP/1.1\r\nHost: a\r\n" + head + "\r\n"));
    }

    void badRequestLines_data()
    {
        QTest::addColumn<QByteArray>("head");
        QTest::newRow("http 2") << QByteArray("GET / HTTP/2.0\r\n\r\n");
        QTest::newRow("two words") << QByteArray("GET /\r\n\r\n");
        QTest::newRow("method with a colon") << QByteArray("GE:T / HTTP/1.1\r\n\r\n");
        QTest::newRow("header without colon") << QByteArray("GET / HTTP/1.1\r\nHost\r\n\r\n");
        QTest::newRow("only blank lines") << QByteArray("\r\n\r\n");
    }
    void badRequestLines()
    {
        QFETCH(QByteArray, head);
        QVERIFY(!HttpRequestHead::parse(head));
    }

    void keepAlive_data()
    {
        QTest::addColumn<QByteArray>("head");
        QTest::addColumn<bool>("keep");
        QTest::newRow("1.1") << QByteArray("GET / HTTP/1.1\r\n\r\n") << true;
        QTest::newRow("1.1 close")
            << QByteArray("GET / HTTP/1.1\r\nConnection: Close\r\n\r\n") << false;
        QTest::newRow("1.0") << QByteArray("GET / HTTP/1.0\r\n\r\n") << false;
    }
    void keepAlive()
    {
        QFETCH(QByteArray, head);
        QFETCH(bool, keep);
        const auto parsed = HttpRequestHead::parse(head);
        QVERIFY(parsed);
        QCOMPARE(parsed->keepAlive(), keep);
    }
};

QTEST_APPLESS_MAIN(TestHttpRequestHead)
#include "tst_httprequesthead.moc"
