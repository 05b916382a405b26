// The main window: home (area tabs of device tiles + conversation), settings, history.
#include "hearth/ui/main_window.h"

#include <QApplication>
#include <QComboBox>
#include <QEvent>
#include <QFormLayout>
#include <QFutureWatcher>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPointer>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTextEdit>
#include <QTimer>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrent>
#include <map>

#include "device_tile.h"
#include "voice_bar.h"
#include "hearth/audio/speech_out.h"
#include "hearth/audio/voice_pipeline.h"
#include "hearth/devices/hub.h"
#include "hearth/storage/history.h"
#include "hearth/storage/preferences.h"

namespace hearth::ui {

namespace {

// Runs `work` on Qt's thread pool and `done` with its result on the GUI thread (if `owner` is
// still alive): the one way this window reaches the engine, the network or the disk.
template <class T, class Work, class Done>
void off_thread(QObject* owner, Work work, Done done) {
  auto* watcher = new QFutureWatcher<T>(owner);
  QObject::connect(watcher, &QFutureWatcher<T>::finished, owner, [watcher, done] {
    done(watcher->result());
    watcher->deleteLater();
  });
  watcher->setFuture(QtConcurrent::run(work));
}

QString plain(const std::string& s) { return QString::fromStdString(s); }

}  // namespace

struct MainWindow::Impl {
  MainWindow* self;
  UiServices services;
  bool kiosk;
  QTabWidget* pages = nullptr;
  QTabWidget* areas = nullptr;
  std::map<QString, DeviceTile*> tiles;
  std::map<QString, QGridLayout*> area_grids;
  QLineEdit* input = nullptr;
  QTextEdit* transcript = nullptr;
  QWidget* choices = nullptr;
  VoiceBar* voice = nullptr;
  QWidget* settings = nullptr;
  QFormLayout* settings_form = nullptr;
  QLabel* settings_message = nullptr;
  std::map<std::string, QWidget*> pref_fields;
  QLineEdit* history_search = nullptr;
  QListWidget* history_list = nullptr;
  QLabel* status = nullptr;
  QWidget* dim = nullptr;
  QTimer* idle = nullptr;
  int listener = 0;

  Impl(MainWindow* w, UiServices s, bool k) : self(w), services(std::move(s)), kiosk(k) {}

  // --- home ---
  void build_home() {
    auto* home = new QWidget;
    auto* split = new QSplitter(Qt::Horizontal, home);
    areas = new QTabWidget;
    areas->setObjectName("areas");
    split->addWidget(areas);
    auto* talk = new QWidget;
    auto* tv = new QVBoxLayout(talk);
    transcript = new QTextEdit;
    transcript->setReadOnly(true);
    transcript->setObjectName("transcript");
    transcript->setAccessibleName("Conversation");
    input = new QLineEdit;
    input->setObjectName("input");
    input->setPlaceholderText("Type a request, e.g. \"turn on the bedside lamp\"");
    input->setAccessibleName("Request");
    auto* send = new QPushButton("Send");
    auto* row = new QHBoxLayout;
    row->addWidget(input, 1);
    row->addWidget(send);
    tv->addWidget(new QLabel("<b>Talk to hearth</b>"));
    tv->addWidget(transcript, 1);
    choices = new QWidget;
    choices->setObjectName("choices");
    new QHBoxLayout(choices);
    choices->layout()->setContentsMargins(0, 0, 0, 0);
    tv->addWidget(choices);
    tv->addLayout(row);
    voice = new VoiceBar(services.push_to_talk, QString::fromStdString(services.wake_phrase), true);
    tv->addWidget(voice);
    if (services.db) {  // the stored choice, read off the GUI thread
      storage::Database* db = services.db;
      QPointer<MainWindow> guard(self);
      off_thread<bool>(self, [db] { return storage::Preferences(*db).get_bool("speech_replies"); }, [this, guard](bool on) {
        if (guard) voice->set_speak_replies(on);
      });
    }
    QObject::connect(voice, &VoiceBar::speak_replies_changed, self, [this](bool on) {
      if (!services.db) return;
      storage::Database* db = services.db;
      QPointer<MainWindow> guard(self);
      off_thread<std::string>(self, [db, on] {
        auto r = storage::Preferences(*db).set("speech_replies", on ? "on" : "off");
        return r ? std::string() : r.error().message;
      }, [this, guard, on](const std::string& error) {
        if (!guard) return;
        if (!error.empty()) voice->set_speak_replies(!on);
        Q_EMIT self->preferences_saved(error.empty() ? QString("Saved.") : QString::fromStdString(error));
      });
    });
    split->addWidget(talk);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    auto* hv = new QVBoxLayout(home);
    hv->setContentsMargins(4, 4, 4, 4);
    hv->addWidget(split);
    QObject::connect(input, &QLineEdit::returnPressed, self, [this] { submit(); });
    QObject::connect(send, &QPushButton::clicked, self, [this] { submit(); });
    pages->addTab(home, "Home");
    rebuild_tiles();
  }

  void submit() { send(input->text().trimmed()); }

  // One utterance, typed or tapped (a choice button sends its words).
  void send(const QString& text) {
    if (text.isEmpty()) return;
    input->clear();
    show_choices({});
    transcript->append("<b>You:</b> " + text.toHtmlEscaped());
    if (!services.say) {
      transcript->append("<i>Language understanding is not available.</i>");
      return;
    }
    auto say = services.say;
    const std::string utterance = text.toStdString();
    QPointer<MainWindow> guard(self);
    off_thread<UiAnswer>(self, [say, utterance] { return say(utterance); }, [this, guard](const UiAnswer& answer) {
      if (!guard) return;
      const QString reply = plain(answer.reply);
      show_reply(answer);
      Q_EMIT self->reply_shown(reply);
    });
  }

  // The reply in the transcript, marked when the cloud model was asked, and its choices.
  void show_reply(const UiAnswer& answer) {
    transcript->append("<b>hearth:</b> " + plain(answer.reply).toHtmlEscaped() +
                       (answer.left_device ? " <i>[answered with the cloud model]</i>" : ""));
    show_choices(answer.choices);
  }

  void show_choices(const std::vector<std::string>& options) {
    for (QObject* child : choices->findChildren<QPushButton*>(QString(), Qt::FindDirectChildrenOnly)) child->deleteLater();
    for (const auto& option : options) {
      QString label = plain(option);
      if (!label.isEmpty()) label[0] = label[0].toUpper();
      auto* b = new QPushButton(label, choices);
      b->setObjectName("choice");
      if (kiosk) b->setMinimumHeight(56);
      const QString words = plain(option);
      QObject::connect(b, &QPushButton::clicked, self, [this, words] { send(words); });
      choices->layout()->addWidget(b);
    }
  }

  QGridLayout* grid_for(const std::string& area) {
    const QString name = area.empty() ? "Other" : plain(area);
    auto it = area_grids.find(name);
    if (it != area_grids.end()) return it->second;
    auto* scroll = new QScrollArea;
    scroll->setWidgetResizable(true);
    auto* inner = new QWidget;
    auto* grid = new QGridLayout(inner);
    grid->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    grid->setSpacing(kiosk ? 12 : 8);
    scroll->setWidget(inner);
    areas->addTab(scroll, name);
    area_grids[name] = grid;
    return grid;
  }

  void rebuild_tiles() {
    if (!services.hub) return;
    for (auto& [id, t] : tiles) t->deleteLater();
    tiles.clear();
    while (areas->count() > 0) {
      QWidget* w = areas->widget(0);
      areas->removeTab(0);
      w->deleteLater();
    }
    area_grids.clear();
    auto all = services.hub->registry().snapshot();
    std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return std::tie(a.area, a.name) < std::tie(b.area, b.name); });
    const int columns = 2;
    for (const auto& d : all) {
      if (!d.expose) continue;
      QGridLayout* grid = grid_for(d.area);
      const QString id = plain(d.id);
      auto* tile = new DeviceTile(d, [this, id](const devices::Action& a) { act(id, a); }, kiosk);
      const int n = grid->count();
      grid->addWidget(tile, n / columns, n % columns);
      tiles[id] = tile;
    }
  }

  // A tile's request, carried out on a worker; the tile shows the outcome.
  void act(const QString& id, const devices::Action& action) {
    devices::DeviceHub* hub = services.hub;
    if (!hub) return;
    QPointer<MainWindow> guard(self);
    const std::string device = id.toStdString();
    off_thread<QString>(
        self,
        [hub, device, action] {
          auto reports = hub->execute({{device, action}});
          const auto& r = reports.front();
          switch (r.outcome) {
            case devices::Outcome::kConfirmed:
            case devices::Outcome::kAssumed: return QString();
            case devices::Outcome::kNoConfirmation:
              return r.state.value("state", std::string()) == "jammed" ? QString("Jammed") : QString("Did not respond");
            case devices::Outcome::kQueued: return QString("Waiting for the broker");
            case devices::Outcome::kExpired: return QString("Could not be reached in time");
            case devices::Outcome::kUnavailable: return QString("Offline");
            default: return plain(r.message);
          }
        },
        [this, guard, id](const QString& problem) {
          if (!guard) return;
          auto it = tiles.find(id);
          if (it != tiles.end()) it->second->show_problem(problem);
        });
  }

  // --- settings ---
  void build_settings() {
    settings = new QWidget;
    settings->setObjectName("settings");
    auto* v = new QVBoxLayout(settings);
    settings_form = new QFormLayout;
    for (const auto& spec : storage::preference_specs()) {
      QWidget* field = nullptr;
      if (spec.type == storage::PrefType::kChoice || spec.type == storage::PrefType::kBool) {
        auto* box = new QComboBox;
        if (spec.type == storage::PrefType::kBool) box->addItems({"on", "off"});
        for (auto c : spec.choices) box->addItem(plain(std::string(c)));
        field = box;
      } else {
        field = new QLineEdit;
      }
      field->setObjectName(plain(std::string(spec.key)));
      field->setToolTip(plain(std::string(spec.description)));
      field->setAccessibleName(plain(std::string(spec.key)));
      QString label = plain(std::string(spec.key));
      label.replace('_', ' ');
      settings_form->addRow(label, field);
      pref_fields[std::string(spec.key)] = field;
    }
    v->addLayout(settings_form);
    auto* save = new QPushButton("Save");
    save->setObjectName("save");
    settings_message = new QLabel;
    settings_message->setWordWrap(true);
    v->addWidget(save);
    v->addWidget(settings_message);
    v->addStretch();
    QObject::connect(save, &QPushButton::clicked, self, [this] { save_settings(); });
    pages->addTab(settings, "Settings");
    load_settings();
  }

  void load_settings() {
    if (!services.db) return;
    storage::Database* db = services.db;
    QPointer<MainWindow> guard(self);
    off_thread<std::vector<storage::PreferenceValue>>(
        self,
        [db] {
          auto all = storage::Preferences(*db).list();
          return all ? all.value() : std::vector<storage::PreferenceValue>{};
        },
        [this, guard](const std::vector<storage::PreferenceValue>& values) {
          if (!guard) return;
          for (const auto& v : values) {
            auto it = pref_fields.find(v.key);
            if (it == pref_fields.end()) continue;
            const QString text = v.value.is_boolean() ? (v.value.get<bool>() ? "on" : "off")
                                 : v.value.is_string() ? plain(v.value.get<std::string>())
                                                       : plain(v.value.dump());
            if (auto* box = qobject_cast<QComboBox*>(it->second)) box->setCurrentText(text);
            else if (auto* line = qobject_cast<QLineEdit*>(it->second)) line->setText(text);
          }
        });
  }

  void save_settings() {
    if (!services.db) return;
    std::vector<std::pair<std::string, std::string>> values;
    for (const auto& [key, field] : pref_fields) {
      if (auto* box = qobject_cast<QComboBox*>(field)) values.emplace_back(key, box->currentText().toStdString());
      else if (auto* line = qobject_cast<QLineEdit*>(field)) values.emplace_back(key, line->text().toStdString());
    }
    storage::Database* db = services.db;
    QPointer<MainWindow> guard(self);
    off_thread<QString>(
        self,
        [db, values] {
          storage::Preferences prefs(*db);
          // Checked first, stored after: a refused value changes nothing.
          for (const auto& [key, text] : values)
            if (auto v = storage::Preferences::parse(key, text); !v) return plain(v.error().message);
            else if (key == "voice")
              if (auto c = audio::check_voice(text); !c) return plain("preference 'voice': " + c.error().message);
          for (const auto& [key, text] : values)
            if (auto r = prefs.set(key, text); !r) return plain(r.error().message);
          return QString("Saved.");
        },
        [this, guard](const QString& message) {
          if (!guard) return;
          settings_message->setText(message);
          Q_EMIT self->preferences_saved(message);
        });
  }

  // --- history ---
  void build_history() {
    auto* page = new QWidget;
    auto* v = new QVBoxLayout(page);
    auto* row = new QHBoxLayout;
    history_search = new QLineEdit;
    history_search->setPlaceholderText("Search");
    history_search->setAccessibleName("Search history");
    auto* refresh = new QPushButton("Search");
    auto* clear = new QPushButton("Clear history");
    row->addWidget(history_search, 1);
    row->addWidget(refresh);
    row->addWidget(clear);
    history_list = new QListWidget;
    v->addLayout(row);
    v->addWidget(history_list, 1);
    QObject::connect(refresh, &QPushButton::clicked, self, [this] { load_history(); });
    QObject::connect(history_search, &QLineEdit::returnPressed, self, [this] { load_history(); });
    QObject::connect(clear, &QPushButton::clicked, self, [this] {
      storage::Database* db = services.db;
      if (!db) return;
      off_thread<bool>(self, [db] { return static_cast<bool>(storage::History(*db).clear()); },
                       [this](bool) { load_history(); });
    });
    pages->addTab(page, "History");
    QObject::connect(pages, &QTabWidget::currentChanged, self, [this, page](int) {
      if (pages->currentWidget() == page) load_history();
    });
  }

  void load_history() {
    storage::Database* db = services.db;
    if (!db) return;
    storage::HistoryQuery q;
    q.limit = 200;
    q.contains = history_search->text().toStdString();
    QPointer<MainWindow> guard(self);
    off_thread<QStringList>(
        self,
        [db, q] {
          QStringList out;
          auto rows = storage::History(*db).list(q);
          if (!rows) return out;
          for (const auto& e : rows.value())
            out << plain(e.utterance + "  →  " + e.reply + (e.left_device ? "  [sent to the cloud]" : ""));
          return out;
        },
        [this, guard](const QStringList& lines) {
          if (!guard) return;
          history_list->clear();
          history_list->addItems(lines);
        });
  }

  // --- status and kiosk ---
  void update_status() {
    QString s;
    if (!services.hub) s = "No devices connected";
    else if (!services.hub->connected()) s = "The MQTT broker is not reachable: " + plain(services.hub->connection_error());
    else s = QString::number(services.hub->registry().size()) + " devices";
    if (!services.model_loaded) s += "  ·  language understanding is off";
    status->setText(s);
  }

  void wake() {
    if (dim) dim->hide();
    if (idle) idle->start();
  }

  void dim_now() {
    if (!dim) return;
    if (idle) idle->stop();
    dim->setGeometry(self->rect());
    dim->raise();
    dim->show();
  }
};

MainWindow::MainWindow(UiServices services, bool kiosk, QWidget* parent)
    : QMainWindow(parent), impl_(std::make_unique<Impl>(this, std::move(services), kiosk)) {
  setWindowTitle("hearth");
  impl_->pages = new QTabWidget;
  impl_->pages->setObjectName("pages");
  setCentralWidget(impl_->pages);
  if (kiosk) {
    QFont f = font();
    f.setPointSize(f.pointSize() + 6);
    setFont(f);
  }
  impl_->build_home();
  impl_->build_settings();
  impl_->build_history();
  impl_->status = new QLabel;
  statusBar()->addWidget(impl_->status, 1);
  auto* tick = new QTimer(this);
  connect(tick, &QTimer::timeout, this, [this] { impl_->update_status(); });
  tick->start(1000);
  impl_->update_status();
  if (impl_->services.hub) {
    QPointer<MainWindow> guard(this);
    // From the MQTT thread: only a queued call crosses into the GUI thread.
    impl_->listener = impl_->services.hub->registry().add_listener([guard](const devices::Change& c) {
      const QString id = QString::fromStdString(c.device.id);
      const bool layout = c.kind == devices::ChangeKind::kAdded || c.kind == devices::ChangeKind::kRemoved;
      QMetaObject::invokeMethod(qApp, [guard, id, layout] {
        if (!guard) return;
        if (layout) guard->impl_->rebuild_tiles();
        else guard->device_changed(id);
      }, Qt::QueuedConnection);
    });
  }
  if (kiosk) {
    setWindowFlags(windowFlags() | Qt::FramelessWindowHint);
    // Dim after a minute without a touch; any touch or key wakes it.
    impl_->dim = new QWidget(this);
    impl_->dim->setStyleSheet("background-color: rgba(0, 0, 0, 190);");
    impl_->dim->hide();
    impl_->idle = new QTimer(this);
    impl_->idle->setSingleShot(true);
    impl_->idle->setInterval(60000);
    connect(impl_->idle, &QTimer::timeout, this, [this] { impl_->dim_now(); });
    impl_->idle->start();
    qApp->installEventFilter(this);
  }
}

MainWindow::~MainWindow() {
  if (impl_->services.hub && impl_->listener) impl_->services.hub->registry().remove_listener(impl_->listener);
  if (impl_->kiosk) qApp->removeEventFilter(this);
}

bool MainWindow::eventFilter(QObject* watched, QEvent* event) {
  switch (event->type()) {
    case QEvent::MouseButtonPress:
    case QEvent::TouchBegin:
    case QEvent::KeyPress:
      if (impl_->dim && impl_->dim->isVisible()) {
        impl_->wake();
        return true;  // the touch that wakes the screen does nothing else
      }
      impl_->wake();
      break;
    default: break;
  }
  return QMainWindow::eventFilter(watched, event);
}

void MainWindow::device_changed(const QString& id) {
  auto it = impl_->tiles.find(id);
  if (it == impl_->tiles.end() || !impl_->services.hub) return;
  // A copy under the registry's mutex: no disk, no network.
  if (auto d = impl_->services.hub->registry().find(id.toStdString())) it->second->show_state(*d);
}

QWidget* MainWindow::tile(const QString& id) const {
  auto it = impl_->tiles.find(id);
  return it == impl_->tiles.end() ? nullptr : it->second;
}
QLineEdit* MainWindow::conversation_input() const { return impl_->input; }
QTextEdit* MainWindow::transcript() const { return impl_->transcript; }
QWidget* MainWindow::settings_page() const { return impl_->settings; }
QTabWidget* MainWindow::pages() const { return impl_->pages; }
QWidget* MainWindow::choices() const { return impl_->choices; }
QWidget* MainWindow::voice_bar() const { return impl_->voice; }
bool MainWindow::dimmed() const { return impl_->dim && impl_->dim->isVisible(); }
void MainWindow::dim_screen() { impl_->dim_now(); }

void MainWindow::show_voice_event(const audio::VoiceEvent& event) {
  QPointer<MainWindow> guard(this);
  QMetaObject::invokeMethod(qApp, [guard, event] {
    if (!guard) return;
    guard->impl_->voice->show_event(event);
    // The kiosk's screen wakes when hearth is called.
    if (event.stage == audio::VoiceStage::kWake) guard->impl_->wake();
  }, Qt::QueuedConnection);
}

void MainWindow::show_voice_turn(const std::string& heard, const UiAnswer& answer) {
  QPointer<MainWindow> guard(this);
  QMetaObject::invokeMethod(qApp, [guard, heard, answer] {
    if (!guard) return;
    auto& m = *guard->impl_;
    m.transcript->append("<b>You (voice):</b> " + plain(heard).toHtmlEscaped());
    m.show_reply(answer);
    Q_EMIT guard->reply_shown(plain(answer.reply));
  }, Qt::QueuedConnection);
}

}  // namespace hearth::ui
