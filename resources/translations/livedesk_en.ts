<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>livedesk::ActivityModel</name>
    <message numerus="yes">
        <source>%n record(s)</source>
        <translation>
            <numerusform>%n record</numerusform>
            <numerusform>%n records</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 and %n more field(s)</source>
        <translation>
            <numerusform>%1 and %n more field</numerusform>
            <numerusform>%1 and %n more fields</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>livedesk::ConnectionIndicator</name>
    <message numerus="yes">
        <source>Reconnecting in %n s (attempt %1).</source>
        <translation>
            <numerusform>Reconnecting in %n s (attempt %1).</numerusform>
            <numerusform>Reconnecting in %n s (attempt %1).</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>livedesk::MainWindow</name>
    <message numerus="yes">
        <source>%n change(s) of %1 wait for them to sign in; they are kept for them.</source>
        <translation>
            <numerusform>%n change of %1 waits for them to sign in; it is kept for them.</numerusform>
            <numerusform>%n changes of %1 wait for them to sign in; they are kept for them.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Discard %n change(s) that %1 made and the server has not received? They cannot be recovered.</source>
        <translation>
            <numerusform>Discard %n change that %1 made and the server has not received? It cannot be recovered.</numerusform>
            <numerusform>Discard %n changes that %1 made and the server has not received? They cannot be recovered.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) of %1 were discarded.</source>
        <translation>
            <numerusform>%n change of %1 was discarded.</numerusform>
            <numerusform>%n changes of %1 were discarded.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 stays in %2 mode: %n change(s) still wait for the server or for your decision, and %3 mode would not send them. Switch once they are sent or resolved.</source>
        <translation>
            <numerusform>%1 stays in %2 mode: %n change still waits for the server or for your decision, and %3 mode would not send it. Switch once it is sent or resolved.</numerusform>
            <numerusform>%1 stays in %2 mode: %n changes still wait for the server or for your decision, and %3 mode would not send them. Switch once they are sent or resolved.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Discard %n change(s) you made to %1 that the server has not received (%2)? The list will show the server&apos;s records again. This cannot be undone.</source>
        <translation>
            <numerusform>Discard %n change you made to %1 that the server has not received (%2)? The list will show the server&apos;s record again. This cannot be undone.</numerusform>
            <numerusform>Discard %n changes you made to %1 that the server has not received (%2)? The list will show the server&apos;s records again. This cannot be undone.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n of your changes to %1 were discarded.</source>
        <translation>
            <numerusform>%n of your changes to %1 was discarded.</numerusform>
            <numerusform>%n of your changes to %1 were discarded.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) had already gone to the server and could not be discarded; the list shows whether it took them.</source>
        <translation>
            <numerusform>%n change had already gone to the server and could not be discarded; the list shows whether it took it.</numerusform>
            <numerusform>%n changes had already gone to the server and could not be discarded; the list shows whether it took them.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>livedesk::RecordDialog</name>
    <message numerus="yes">
        <source>At most %n characters; this has %1.</source>
        <translation>
            <numerusform>At most %n character; this has %1.</numerusform>
            <numerusform>At most %n characters; this has %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>At most %n characters.</source>
        <translation>
            <numerusform>At most %n character.</numerusform>
            <numerusform>At most %n characters.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>livedesk::ResourceListView</name>
    <message numerus="yes">
        <source>Delete the %n selected records? This cannot be undone.</source>
        <translation>
            <numerusform>Delete the selected record? This cannot be undone.</numerusform>
            <numerusform>Delete the %n selected records? This cannot be undone.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n row(s)</source>
        <translation>
            <numerusform>%n row</numerusform>
            <numerusform>%n rows</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) waiting for the server</source>
        <translation>
            <numerusform>%n change waiting for the server</numerusform>
            <numerusform>%n changes waiting for the server</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n conflict(s)</source>
        <translation>
            <numerusform>%n conflict</numerusform>
            <numerusform>%n conflicts</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Resolve %n conflict(s)…</source>
        <translation>
            <numerusform>Resolve %n conflict…</numerusform>
            <numerusform>Resolve %n conflicts…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Discard %n waiting change(s)…</source>
        <translation>
            <numerusform>Discard %n waiting change…</numerusform>
            <numerusform>Discard %n waiting changes…</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>livedesk::SocketIoClient</name>
    <message numerus="yes">
        <source>server unreachable after %n attempt(s)</source>
        <translation>
            <numerusform>server unreachable after %n attempt</numerusform>
            <numerusform>server unreachable after %n attempts</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 (%n attempt(s))</source>
        <translation>
            <numerusform>%1 (%n attempt)</numerusform>
            <numerusform>%1 (%n attempts)</numerusform>
        </translation>
    </message>
</context>
</TS>
