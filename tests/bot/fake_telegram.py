"""A fake Telegram Bot API server on 127.0.0.1 for driving the real python-telegram-bot ``Application`` in tests.

It speaks the subset of the Bot API that the bot uses (getMe, deleteWebhook, getUpdates long polling,
setMyCommands, sendMessage, sendChatAction, editMessageText, answerCallbackQuery, getFile, file downloads,
close, logOut), records every call, and lets a test push updates as a given user: a text message, a command, a
document (whose bytes getFile and the download path then serve), a photo, a sticker, or a button press.

Like Telegram it refuses what Telegram refuses: an empty or over-long message (4096 UTF-16 code units after entity
parsing), malformed HTML under ``parse_mode=HTML``, an edit that changes nothing, an unknown ``file_id``, and a
download of a file over 20 MB. Refusals are recorded too (``Call.error``), so a test can see what was attempted.
"""
from __future__ import annotations

import asyncio
import html
import itertools
import json
import re
import threading
import time
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable
from urllib.parse import parse_qsl, unquote, urlsplit

__all__ = ["FakeTelegram", "Call", "html_text_length"]

BOT_ID = 424242
MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_DOWNLOAD = 20 * 1024 * 1024
# Parameters sent as form fields that carry integers; everything else that looks like JSON (reply_markup,
# commands, ...) is decoded except free text, which stays a string whatever it looks like.
_INT_PARAMS = {"chat_id", "message_id", "offset", "limit", "timeout", "user_id", "reply_to_message_id"}
_TEXT_PARAMS = {"text", "caption", "callback_query_id", "file_id", "action", "parse_mode", "url"}
_HTML_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre", "span", "tg-spoiler",
              "tg-emoji", "blockquote"}
_ENTITY = re.compile(r"&(?:lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);")


@dataclass
class Call:
    """One request the bot made: its method, decoded parameters, and the result returned or the error (if refused)."""

    method: str
    params: dict[str, Any]
    at: float = field(default_factory=time.monotonic)
    result: Any = None
    error: str | None = None


class BadRequest(Exception):
    def __init__(self, description: str, code: int = 400):
        super().__init__(description)
        self.description = description
        self.code = code


def html_text_length(text: str) -> int:
    """The length Telegram counts for an HTML message: UTF-16 code units of the text after entity parsing.

    Raises BadRequest with Telegram's wording when the markup is malformed (unknown tag, unclosed or mismatched
    tag, or a bare ``&`` / ``<``).
    """
    plain: list[str] = []
    stack: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "<":
            end = text.find(">", i)
            if end < 0:
                raise BadRequest(f"Bad Request: can't parse entities: unclosed start tag at byte offset {i}")
            tag = text[i + 1:end].strip()
            closing = tag.startswith("/")
            name = (tag[1:] if closing else tag).split(" ", 1)[0].lower()
            if name not in _HTML_TAGS:
                raise BadRequest(f"Bad Request: can't parse entities: unsupported start tag \"{name}\" at byte offset {i}")
            if closing:
                if not stack or stack[-1] != name:
                    raise BadRequest(f"Bad Request: can't parse entities: unexpected end tag at byte offset {i}")
                stack.pop()
            else:
                stack.append(name)
            i = end + 1
        elif ch == "&":
            match = _ENTITY.match(text, i)
            if not match:
                raise BadRequest(f"Bad Request: can't parse entities: character '&' at byte offset {i} is reserved")
            plain.append(html.unescape(match[0]))
            i = match.end()
        elif ch == ">":
            raise BadRequest(f"Bad Request: can't parse entities: character '>' at byte offset {i} is reserved")
        else:
            plain.append(ch)
            i += 1
    if stack:
        raise BadRequest(f"Bad Request: can't parse entities: can't find end tag corresponding to start tag \"{stack[-1]}\"")
    return len("".join(plain).encode("utf-16-le")) // 2


def _decode(params: dict[str, str]) -> dict[str, Any]:
    decoded: dict[str, Any] = {}
    for key, value in params.items():
        if not isinstance(value, str) or key in _TEXT_PARAMS:
            decoded[key] = value
        elif key in _INT_PARAMS and re.fullmatch(r"-?\d+", value):
            decoded[key] = int(value)
        elif value[:1] in "{[" or value in ("true", "false", "null"):
            try:
                decoded[key] = json.loads(value)
            except ValueError:
                decoded[key] = value
        else:
            decoded[key] = value
    return decoded


class FakeTelegram:
    """The server and the test-facing API. ``start()`` binds a free port; ``stop()`` shuts it down."""

    def __init__(self, token: str):
        self.token = token
        self.calls: list[Call] = []
        self._lock = threading.Condition()
        self._updates: list[dict] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._files: dict[str, tuple[str, bytes, int]] = {}  # file_id -> (file_path, data, declared size)
        self._sent: dict[tuple[int, int], dict] = {}  # (chat_id, message_id) -> the bot's message as it stands
        self._stopping = False
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- life cycle -----------------------------------------------------------------------------------------
    def start(self) -> "FakeTelegram":
        fake = self

        class Handler(_Handler):
            server_fake = fake

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-telegram", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        with self._lock:
            self._stopping = True
            self._lock.notify_all()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    @property
    def port(self) -> int:
        assert self._server is not None, "start() the server first"
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # --- pushing updates ------------------------------------------------------------------------------------
    @staticmethod
    def user(user_id: int) -> dict:
        return {"id": user_id, "is_bot": False, "first_name": f"用户{user_id}", "language_code": "zh-hans"}

    @staticmethod
    def chat(chat_id: int) -> dict:
        return {"id": chat_id, "type": "private", "first_name": f"用户{chat_id}"}

    def push(self, update: dict) -> int:
        """Queue a raw update (``update_id`` is assigned); returns its id."""
        with self._lock:
            update = {"update_id": next(self._update_ids), **update}
            self._updates.append(update)
            self._lock.notify_all()
            return update["update_id"]

    def _message(self, user_id: int, chat_id: int | None, **content) -> dict:
        return {"message_id": next(self._message_ids), "date": int(time.time()), "chat": self.chat(chat_id or user_id),
                "from": self.user(user_id), **content}

    def send_text(self, user_id: int, text: str, chat_id: int | None = None) -> int:
        content: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        return self.push({"message": self._message(user_id, chat_id, **content)})

    def send_command(self, user_id: int, command: str, *args: str) -> int:
        text = "/" + command.lstrip("/") + "".join(f" {a}" for a in args)
        return self.send_text(user_id, text)

    def send_document(self, user_id: int, file_name: str, data: bytes, mime_type: str = "text/plain",
                      declared_size: int | None = None) -> int:
        """A document message; getFile and the download path serve ``data``. ``declared_size`` fakes a big file."""
        number = next(self._file_ids)
        file_id = f"DOC{number}"
        suffix = re.sub(r"[^.A-Za-z0-9]", "", file_name[file_name.rfind("."):]) if "." in file_name else ""
        size = len(data) if declared_size is None else declared_size
        with self._lock:
            self._files[file_id] = (f"documents/file_{number}{suffix}", data, size)
        document = {"file_id": file_id, "file_unique_id": f"U{file_id}", "file_name": file_name,
                    "mime_type": mime_type, "file_size": size}
        return self.push({"message": self._message(user_id, None, document=document)})

    def send_photo(self, user_id: int) -> int:
        number = next(self._file_ids)
        sizes = [{"file_id": f"PH{number}-{w}", "file_unique_id": f"UPH{number}-{w}", "width": w, "height": w,
                  "file_size": w * 10} for w in (90, 320)]
        return self.push({"message": self._message(user_id, None, photo=sizes)})

    def send_sticker(self, user_id: int) -> int:
        number = next(self._file_ids)
        sticker = {"file_id": f"ST{number}", "file_unique_id": f"UST{number}", "type": "regular", "width": 512,
                   "height": 512, "is_animated": False, "is_video": False, "emoji": "👍"}
        return self.push({"message": self._message(user_id, None, sticker=sticker)})

    def press_button(self, user_id: int, *, data: str | None = None, text: str | None = None,
                     chat_id: int | None = None) -> str:
        """Press an inline button of the newest bot message in the user's chat that has one matching ``data`` or
        ``text``; returns the callback_query id. Fails if the bot never sent such a button."""
        chat_id = chat_id or user_id
        with self._lock:
            found = self._find_button(chat_id, data, text)
            if found is None:
                raise AssertionError(f"no button data={data!r} text={text!r} in chat {chat_id}; keyboards sent: "
                                     f"{[m.get('reply_markup') for (c, _), m in self._sent.items() if c == chat_id]}")
            message, button = found
            query_id = f"CQ{next(self._callback_ids)}"
            query = {"id": query_id, "from": self.user(user_id), "chat_instance": f"ci{chat_id}",
                     "data": button["callback_data"], "message": message}
        self.push({"callback_query": query})
        return query_id

    def _find_button(self, chat_id: int, data: str | None, text: str | None) -> tuple[dict, dict] | None:
        newest_first = sorted(((mid, m) for (chat, mid), m in self._sent.items() if chat == chat_id), reverse=True,
                              key=lambda pair: pair[0])
        for _, message in newest_first:
            for row in (message.get("reply_markup") or {}).get("inline_keyboard", []):
                for button in row:
                    if (data is None or button.get("callback_data") == data) and \
                            (text is None or button.get("text") == text):
                        return message, button
        return None

    # --- reading what the bot did ---------------------------------------------------------------------------
    def mark(self) -> int:
        """A position in the call log; pass it as ``since`` to look only at later calls."""
        with self._lock:
            return len(self.calls)

    def calls_of(self, method: str | None = None, *, chat_id: int | None = None, since: int = 0,
                 ok_only: bool = True) -> list[Call]:
        with self._lock:
            calls = list(self.calls[since:])
        return [c for c in calls if (method is None or c.method == method)
                and (chat_id is None or c.params.get("chat_id") == chat_id) and (not ok_only or c.error is None)]

    def messages(self, chat_id: int | None = None, since: int = 0) -> list[dict]:
        """Parameters of every accepted sendMessage (text, parse_mode, reply_markup, ...), oldest first."""
        return [c.params for c in self.calls_of("sendMessage", chat_id=chat_id, since=since)]

    def refused(self, since: int = 0) -> list[Call]:
        with self._lock:
            return [c for c in self.calls[since:] if c.error is not None]

    async def wait_for(self, predicate: Callable[[], Any], timeout: float = 10.0, what: str = "condition") -> Any:
        """Poll ``predicate`` (without blocking the event loop the bot runs on) until it returns something truthy."""
        deadline = time.monotonic() + timeout
        while True:
            result = predicate()
            if result:
                return result
            if time.monotonic() > deadline:
                summary = [(c.method, c.params.get("chat_id"), str(c.params.get("text", ""))[:80], c.error)
                           for c in self.calls_of(ok_only=False) if c.method != "getUpdates"]
                raise AssertionError(f"timed out after {timeout}s waiting for {what}; calls so far: {summary}")
            await asyncio.sleep(0.02)

    async def wait_message(self, chat_id: int, *, contains: str | None = None, since: int = 0,
                           timeout: float = 10.0) -> dict:
        """The first sendMessage to ``chat_id`` after ``since`` whose text contains ``contains``."""

        def find():
            return next((m for m in self.messages(chat_id, since) if contains is None or contains in m["text"]), None)

        return await self.wait_for(find, timeout, f"a message to {chat_id} containing {contains!r}")

    # --- serving --------------------------------------------------------------------------------------------
    def handle(self, method: str, params: dict[str, Any]) -> Any:
        """Record the call and return its result, or raise BadRequest (recorded as the call's error)."""
        if method == "getUpdates":
            return self._get_updates(params)  # recorded inside, after the wait
        call = Call(method, params)
        # Logged and served under one (re-entrant) lock: a test that sees the call also sees its effect, e.g. the
        # keyboard of a message it then presses, and never a refused call without its error.
        with self._lock:
            self.calls.append(call)
            try:
                call.result = self._dispatch(method, params)
            except BadRequest as e:
                call.error = e.description
                raise
        return call.result

    def _dispatch(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return {"id": BOT_ID, "is_bot": True, "first_name": "年报问答", "username": "nianbao_test_bot",
                    "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": False}
        if method in ("deleteWebhook", "setMyCommands", "sendChatAction", "answerCallbackQuery", "close", "logOut",
                      "deleteMyCommands", "setWebhook"):
            return True
        if method == "sendMessage":
            return self._send_message(params)
        if method in ("sendPhoto", "sendDocument"):
            return self._send_file(method, params)
        if method == "editMessageText":
            return self._edit_message(params)
        if method == "getFile":
            with self._lock:
                found = self._files.get(params.get("file_id", ""))
            if found is None:
                raise BadRequest("Bad Request: invalid file_id")
            path, data, size = found
            if size > MAX_DOWNLOAD:
                raise BadRequest("Bad Request: file is too big")
            return {"file_id": params["file_id"], "file_unique_id": "U" + params["file_id"], "file_size": size,
                    "file_path": path}
        raise BadRequest("Not Found: method not found", code=404)

    def _check_text(self, params: dict[str, Any]) -> str:
        text = params.get("text")
        if not isinstance(text, str) or not text.strip():
            raise BadRequest("Bad Request: message text is empty")
        if str(params.get("parse_mode", "")).upper() == "HTML":
            length = html_text_length(text)
        else:
            length = len(text.encode("utf-16-le")) // 2
        if length > MAX_TEXT:
            raise BadRequest("Bad Request: message is too long")
        return text

    def _send_message(self, params: dict[str, Any]) -> dict:
        text = self._check_text(params)
        chat_id = params.get("chat_id")
        if not isinstance(chat_id, int):
            raise BadRequest("Bad Request: chat not found")
        message = {"message_id": next(self._message_ids), "date": int(time.time()), "chat": self.chat(chat_id),
                   "from": {"id": BOT_ID, "is_bot": True, "first_name": "年报问答", "username": "nianbao_test_bot"},
                   "text": text}
        if isinstance(params.get("reply_markup"), dict):
            message["reply_markup"] = params["reply_markup"]
        with self._lock:
            self._sent[(chat_id, message["message_id"])] = message
        return message

    def _send_file(self, method: str, params: dict[str, Any]) -> dict:
        """A photo or document sent as an upload: its bytes must be there, a caption at most 1024 characters."""
        field = "photo" if method == "sendPhoto" else "document"
        data = params.get(field)
        if not isinstance(data, bytes) or not data:
            raise BadRequest(f"Bad Request: there is no {field} in the request")
        caption = params.get("caption")
        if caption is not None:
            length = html_text_length(caption) if str(params.get("parse_mode", "")).upper() == "HTML" else len(caption)
            if length > MAX_CAPTION:
                raise BadRequest("Bad Request: message caption is too long")
        chat_id = params.get("chat_id")
        if not isinstance(chat_id, int):
            raise BadRequest("Bad Request: chat not found")
        message = {"message_id": next(self._message_ids), "date": int(time.time()), "chat": self.chat(chat_id),
                   "from": {"id": BOT_ID, "is_bot": True, "first_name": "年报问答", "username": "nianbao_test_bot"}}
        if field == "photo":
            message["photo"] = [{"file_id": f"P{message['message_id']}", "file_unique_id": f"UP{message['message_id']}",
                                 "width": 1200, "height": 675, "file_size": len(data)}]
        else:
            message["document"] = {"file_id": f"D{message['message_id']}", "file_unique_id": f"UD{message['message_id']}",
                                   "file_name": params.get("document_filename", "file"), "file_size": len(data)}
        if caption is not None:
            message["caption"] = caption
        if isinstance(params.get("reply_markup"), dict):
            message["reply_markup"] = params["reply_markup"]
        with self._lock:
            self._sent[(chat_id, message["message_id"])] = message
        return message

    def files(self, method: str, chat_id: int | None = None, since: int = 0) -> list[dict]:
        """Parameters of every accepted sendPhoto or sendDocument (the bytes under photo or document)."""
        return [c.params for c in self.calls_of(method, chat_id=chat_id, since=since)]

    def _edit_message(self, params: dict[str, Any]) -> dict:
        text = self._check_text(params)
        key = (params.get("chat_id"), params.get("message_id"))
        with self._lock:
            message = self._sent.get(key)
            if message is None:
                raise BadRequest("Bad Request: message to edit not found")
            if message["text"] == text and message.get("reply_markup") == params.get("reply_markup"):
                raise BadRequest("Bad Request: message is not modified: specified new message content and reply "
                                 "markup are exactly the same as a current content and reply markup of the message")
            message = {**message, "text": text, "edit_date": int(time.time())}
            message.pop("reply_markup", None)
            if isinstance(params.get("reply_markup"), dict):
                message["reply_markup"] = params["reply_markup"]
            self._sent[key] = message
        return message

    def _get_updates(self, params: dict[str, Any]) -> list[dict]:
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        timeout = float(params.get("timeout") or 0)
        with self._lock:
            if offset:
                # Telegram forgets updates below the offset: they count as confirmed.
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
            self._lock.wait_for(lambda: self._updates or self._stopping, timeout=timeout)
            batch = self._updates[:limit]
            self.calls.append(Call("getUpdates", params, result=batch))
        return batch

    def download(self, file_path: str) -> bytes | None:
        with self._lock:
            for path, data, _ in self._files.values():
                if path == file_path:
                    self.calls.append(Call("download", {"file_path": file_path}))
                    return data
        return None


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_fake: FakeTelegram

    def log_message(self, format: str, *args) -> None:  # the default prints request lines, token included
        pass

    def _reply(self, status: int, body: bytes, content_type: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # a long poll the client cancelled (shutdown)
            self.close_connection = True

    def _json(self, status: int, payload: dict) -> None:
        self._reply(status, json.dumps(payload, ensure_ascii=False).encode("utf-8"))

    def _params(self) -> dict[str, Any]:
        split = urlsplit(self.path)
        raw: dict[str, Any] = dict(parse_qsl(split.query, keep_blank_values=True))
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        content_type = self.headers.get("Content-Type", "")
        if body and content_type.startswith("application/json"):
            raw.update({k: v if isinstance(v, str) else json.dumps(v) for k, v in json.loads(body).items()})
        elif body and content_type.startswith("multipart/form-data"):
            message = BytesParser(policy=HTTP).parsebytes(
                b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body)
            for part in message.iter_parts():
                name = part.get_param("name", header="content-disposition")
                payload = part.get_payload(decode=True) or b""
                raw[name] = payload if part.get_filename() else payload.decode("utf-8")
                if part.get_filename():
                    raw[f"{name}_filename"] = part.get_filename()
        elif body:
            raw.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
        return _decode(raw)

    def _route(self) -> None:
        fake = self.server_fake
        path = unquote(urlsplit(self.path).path)
        file_prefix = f"/file/bot{fake.token}/"
        if path.startswith(file_prefix):
            data = fake.download(path[len(file_prefix):])
            if data is None:
                self._reply(404, b"Not Found", "text/plain")
            else:
                self._reply(200, data, "application/octet-stream")
            return
        match = re.fullmatch(r"/bot([^/]+)/(\w+)", path)
        if not match:
            self._json(404, {"ok": False, "error_code": 404, "description": "Not Found"})
            return
        if match[1] != fake.token:
            self._json(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
            return
        try:
            result = fake.handle(match[2], self._params())
        except BadRequest as e:
            self._json(e.code, {"ok": False, "error_code": e.code, "description": e.description})
            return
        self._json(200, {"ok": True, "result": result})

    do_GET = _route
    do_POST = _route
