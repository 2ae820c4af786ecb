// SPDX-License-Identifier: MIT
#include "monitorwindow.h"

#include "activitymodel.h"
#include "connectionindicator.h"
#include "events/realtimechannel.h"
#include "socketio/socketioclient.h"

#include <QtCore/QSettings>
#include <QtWidgets/QApplication>
#include <QtWidgets/QFormLayout>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QMenuBar>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QStatusBar>
#include <QtWidgets/QTableView>
#include <QtWidgets/QVBoxLayout>

using namespace Qt::StringLiterals;

namespace livedesk {

MonitorWindow::MonitorWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_client(new SocketIoClient(this))
    , m_channel(new RealtimeChannel(m_client, this))
    , m_activity(new ActivityModel(this))
    , m_indicator(new ConnectionIndicator(this))
    , m_url(new QLineEdit(this))
    , m_path(new QLineEdit(this))
    , m_token(new QLineEdit(this))
    , m_features(new QLineEdit(this))
    , m_connect(new QPushButton(tr("&Connect"), this))
    , m_disconnect(new QPushButton(tr("&Disconnect"), this))
    , m_table(new QTableView(this))
    , m_counts(new QLabel(this))
{
    setWindowTitle(tr("livedesk — connection monitor"));
    m_activity->bind(m_channel);

    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    auto *form = new QFormLayout;
    m_url->setPlaceholderText(u"http://localhost:3333"_s);
    m_path->setPlaceholderText(u"/api/ws/"_s);
    m_token->setEchoMode(QLineEdit::Password);
    m_token->setPlaceholderText(tr("JWT access token (optional)"));
    m_features->setPlaceholderText(tr("patients, admissions, lab-orders"));
    m_url->setAccessibleName(tr("Server URL"));
    m_path->setAccessibleName(tr("Socket.IO path"));
    m_token->setAccessibleName(tr("Access token"));
    m_features->setAccessibleName(tr("Features to subscribe to"));
    form->addRow(tr("&Server:"), m_url);
    form->addRow(tr("&Path:"), m_path);
    form->addRow(tr("&Token:"), m_token);
    form->addRow(tr("&Features:"), m_features);
    layout->addLayout(form);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_connect);
    buttons->addWidget(m_disconnect);
    buttons->addStretch(1);
    buttons->addWidget(m_counts);
    layout->addLayout(buttons);

    m_table->setModel(m_activity);
    m_table->setAccessibleName(tr("Recent changes"));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setColumnWidth(ActivityModel::Time, 80);
    m_table->setColumnWidth(ActivityModel::Feature, 130);
    m_table->setColumnWidth(ActivityModel::Entity, 120);
    m_table->setColumnWidth(ActivityModel::Action, 170);
    m_table->setColumnWidth(ActivityModel::Ids, 140);
    layout->addWidget(m_table, 1);
    setCentralWidget(central);
    statusBar()->addWidget(m_indicator, 1);

    auto *file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Connect"), QKeySequence(u"Ctrl+K"_s), this,
                    &MonitorWindow::connectToServer);
    file->addAction(tr("&Disconnect"), this, &MonitorWindow::disconnectFromServer);
    file->addAction(tr("C&lear activity"), m_activity, &ActivityModel::clear);
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, qApp, &QApplication::quit);
    auto *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About livedesk"), this, [this] {
        QMessageBox::about(this, tr("About livedesk"),
                           tr("<b>livedesk</b> %1<br>A real-time desktop client for AegisX-style "
                              "REST + Socket.IO backends.")
                               .arg(QApplication::applicationVersion()));
    });

    connect(m_connect, &QPushButton::clicked, this, &MonitorWindow::connectToServer);
    connect(m_disconnect, &QPushButton::clicked, this, &MonitorWindow::disconnectFromServer);
    connect(m_client, &SocketIoClient::stateChanged, this, &MonitorWindow::updateActions);
    const auto showStatus = [this] {
        m_indicator->setStatus(ConnectionStatus::of(*m_client));
    };
    connect(m_client, &SocketIoClient::stateChanged, m_indicator, showStatus);
    connect(m_client, &SocketIoClient::reconnectScheduled, m_indicator, showStatus);
    showStatus();
    connect(m_indicator, &ConnectionIndicator::staleChanged, this, &MonitorWindow::setStale);
    connect(m_channel, &RealtimeChannel::eventReceived, this, &MonitorWindow::updateActions);
    connect(m_channel, &RealtimeChannel::undecodableEvent, this, &MonitorWindow::updateActions);

    loadSettings();
    resize(900, 560);
    updateActions();
}

MonitorWindow::~MonitorWindow()
{
    saveSettings();
}

void MonitorWindow::applySettings(const Settings &settings)
{
    m_url->setText(settings.url);
    m_path->setText(settings.path);
    m_token->setText(settings.token);
    m_features->setText(settings.features.join(u", "_s));
}

MonitorWindow::Settings MonitorWindow::currentSettings() const
{
    Settings s;
    s.url = m_url->text().trimmed();
    s.path = m_path->text().trimmed().isEmpty() ? u"/api/ws/"_s : m_path->text().trimmed();
    s.token = m_token->text().trimmed();
    const auto parts = m_features->text().split(u',', Qt::SkipEmptyParts);
    for (const auto &p : parts) {
        if (!p.trimmed().isEmpty())
            s.features.append(p.trimmed());
    }
    return s;
}

void MonitorWindow::connectToServer()
{
    const Settings s = currentSettings();
    m_client->close();
    SocketIoClient::Options options;
    options.url = QUrl(s.url, QUrl::StrictMode);
    options.path = s.path;
    if (!s.token.isEmpty())
        options.auth = QJsonObject{{u"token"_s, s.token}};
    m_client->setOptions(options);
    m_channel->setSubscription(s.features);
    m_client->open();
    saveSettings();
}

void MonitorWindow::disconnectFromServer()
{
    m_client->close();
}

void MonitorWindow::updateActions()
{
    const auto state = m_client->state();
    const bool active = state == SocketIoClient::State::Connected
        || state == SocketIoClient::State::Connecting
        || state == SocketIoClient::State::Reconnecting;
    m_disconnect->setEnabled(active);
    m_connect->setText(active ? tr("Re&connect") : tr("&Connect"));
    const auto &stats = m_channel->stats();
    m_counts->setText(tr("%1 events, %2 duplicates dropped, %3 not understood")
                          .arg(stats.delivered)
                          .arg(stats.duplicates)
                          .arg(stats.undecodable));
}

void MonitorWindow::setStale(bool stale)
{
    // The list itself must look stale, not only a light in a corner.
    m_table->setStyleSheet(stale ? u"QTableView { color: #808080; background: #f3f3f3; }"_s
                                 : QString());
    m_table->setToolTip(stale ? m_indicator->statusText() : QString());
}

void MonitorWindow::loadSettings()
{
    QSettings settings;
    Settings s;
    s.url = settings.value(u"connection/url"_s, s.url).toString();
    s.path = settings.value(u"connection/path"_s, s.path).toString();
    s.features
        = settings.value(u"connection/features"_s, QStringList{u"patients"_s}).toStringList();
    applySettings(s);
    restoreGeometry(settings.value(u"window/geometry"_s).toByteArray());
}

void MonitorWindow::saveSettings() const
{
    QSettings settings;
    const Settings s = currentSettings();
    // The token is a credential: it is never written to disk.
    settings.setValue(u"connection/url"_s, s.url);
    settings.setValue(u"connection/path"_s, s.path);
    settings.setValue(u"connection/features"_s, s.features);
    settings.setValue(u"window/geometry"_s, saveGeometry());
}

} // namespace livedesk
