/* st-page-state URL bridge (Streamlit Components v2). Built from frontend/src by `npm run build`; do not edit. */
// frontend/src/pageGlobal.ts
function e(e, t) {
	let n = window, r = Symbol.for(e), i = n[r];
	if (i !== void 0) return i;
	let a = t();
	return n[r] = a, a;
}
function t(e, t) {
	if (e.has(t)) return !1;
	if (e.add(t), e.size > 200) {
		let t = e.values().next().value;
		t !== void 0 && e.delete(t);
	}
	return !0;
}
function n() {
	return e("st-page-state.page-memory", () => ({
		reported: /* @__PURE__ */ new Set(),
		handledPushes: /* @__PURE__ */ new Set(),
		tabIdAnsweredFor: /* @__PURE__ */ new Set(),
		tabId: void 0
	}));
}
function r(e) {
	if (e == null) return null;
	try {
		return new URL(String(e), window.location.href);
	} catch {
		return null;
	}
}
function i(e) {
	try {
		e();
	} catch (e) {
		console.error("st-page-state bridge:", e);
	}
}
function a() {
	let e = window.history, t = {
		pushState: e.pushState,
		replaceState: e.replaceState,
		listeners: /* @__PURE__ */ new Set()
	}, n = (e) => {
		for (let n of [...t.listeners]) i(() => n.onHistoryEvent(e));
	}, a = (e) => {
		if (!e) return !1;
		let n = !1;
		for (let r of t.listeners) i(() => {
			n = r.shouldReplacePush(e) || n;
		});
		return n;
	};
	return e.pushState = function(...e) {
		(a(r(e[2])) ? t.replaceState : t.pushState).apply(this, e), n("pushState");
	}, e.replaceState = function(...e) {
		t.replaceState.apply(this, e), n("replaceState");
	}, window.addEventListener("popstate", () => n("popstate")), window.addEventListener("hashchange", () => n("hashchange")), t;
}
function o() {
	return e("st-page-state.history-patch", a);
}
function s(e) {
	let { listeners: t } = o();
	return t.add(e), () => {
		t.delete(e);
	};
}
// frontend/src/query.ts
function c(e) {
	return e.startsWith("?") ? e.slice(1) : e;
}
function l(e, t) {
	return e.length === t.length && e.every((e, n) => e === t[n]);
}
function u(e, t, n) {
	let r = new URLSearchParams(e), i = new URLSearchParams(t);
	return n.some((e) => !l(r.getAll(e), i.getAll(e)));
}
function d(e, t) {
	return new URLSearchParams(e).toString() === new URLSearchParams(t).toString();
}
function f(e) {
	let t, n = 0;
	return {
		schedule(r = 100) {
			let i = Date.now();
			if (t !== void 0) {
				if (i - n >= 1e3) return;
				clearTimeout(t);
			} else n = i;
			t = setTimeout(() => {
				t = void 0, e();
			}, r);
		},
		cancel() {
			t !== void 0 && (clearTimeout(t), t = void 0);
		}
	};
}
// frontend/src/tabId.ts
var p = "st-page-state.tab-id";
function m(e) {
	let t = new Uint8Array(e);
	if (typeof crypto < "u" && typeof crypto.getRandomValues == "function") crypto.getRandomValues(t);
	else for (let n = 0; n < e; n += 1) t[n] = Math.floor(Math.random() * 256);
	return Array.from(t, (e) => e.toString(16).padStart(2, "0")).join("");
}
function h() {
	return typeof crypto < "u" && typeof crypto.randomUUID == "function" ? crypto.randomUUID() : m(16);
}
function g(e) {
	if (e.tabId !== void 0) return e.tabId;
	let t = null;
	try {
		t = window.sessionStorage.getItem(p), t || (t = h(), window.sessionStorage.setItem(p, t));
	} catch {
		t ?? (t = h());
	}
	return e.tabId = t, t;
}
// frontend/src/types.ts
function _(e) {
	return typeof e == "object" && !!e;
}
function v(e) {
	let t = _(e) ? e : {}, n = _(t.push) ? t.push : null;
	return {
		expected: typeof t.expected == "string" ? t.expected.replace(/^\?/, "") : "",
		owned: Array.isArray(t.owned) ? t.owned.filter((e) => typeof e == "string") : [],
		revision: typeof t.revision == "number" ? t.revision : 0,
		push: n ? { from: typeof n.from == "string" ? n.from.replace(/^\?/, "") : "" } : null,
		tabId: typeof t.tabId == "string" ? t.tabId : null
	};
}
// frontend/src/bridge.ts
var y = 1500;
function b() {
	return c(window.location.search);
}
function x(e) {
	return e instanceof ShadowRoot ? e.host.isConnected : e.isConnected;
}
function S(e) {
	let r = n(), i = o(), a, l, p, m, h = !1, _ = () => m !== void 0 && Date.now() < m.until, S = () => (!h && !x(e) && k(), !h), C = f(() => {
		if (!a || !l || !S()) return;
		if (m) {
			let e = m.until - Date.now();
			if (e > 0) {
				C.schedule(e);
				return;
			}
			m = void 0;
		}
		let e = p ?? "data";
		p = void 0;
		let n = b();
		if (!u(n, l.expected, l.owned)) return;
		let i = JSON.stringify([
			l.revision,
			l.expected,
			n
		]);
		t(r.reported, i) && a.setTriggerValue("report", {
			query: n,
			revision: l.revision,
			cause: e
		});
	}), w = (e) => {
		(e !== "data" || p === void 0) && (p = e), C.schedule();
	}, T = () => {
		let e = l;
		if (!e?.push || _()) return;
		let n = b();
		if (u(n, e.expected, e.owned)) return;
		let { from: a } = e.push;
		if (!t(r.handledPushes, JSON.stringify([e.revision, a])) || !u(a, n, e.owned)) return;
		let { pathname: o, hash: s, search: c } = window.location, d = window.history.state;
		i.replaceState.call(window.history, d, "", o + (a ? `?${a}` : "") + s), i.pushState.call(window.history, d, "", o + c + s);
	}, E = () => {
		if (!a || !l) return;
		let e = g(r);
		l.tabId !== e && t(r.tabIdAnsweredFor, JSON.stringify(l.tabId)) && a.setStateValue("tab_id", e);
	}, D = (e) => {
		m = {
			revision: l?.revision ?? 0,
			expected: l?.expected ?? "",
			until: Date.now() + e
		};
	}, O = s({
		onHistoryEvent(e) {
			S() && (e === "popstate" ? (D(y), C.schedule(y)) : (T(), e === "pushState" && l && !_() && u(b(), l.expected, l.owned) && D(1e3), w(e)));
		},
		shouldReplacePush(e) {
			if (!l || !S()) return !1;
			let t = window.location;
			if (e.origin !== t.origin || e.pathname !== t.pathname || e.hash !== "" && e.hash !== t.hash) return !1;
			let n = c(e.search);
			return u(n, b(), l.owned) || d(n, l.expected);
		}
	});
	function k() {
		h || (h = !0, O(), C.cancel());
	}
	return {
		update(e) {
			if (h) return;
			let t = l === void 0;
			a = e, l = v(e.data), m && (l.revision !== m.revision || l.expected !== m.expected) && (m = void 0), E(), T(), w(t ? "mount" : "data");
		},
		dispose: k,
		get disposed() {
			return h;
		}
	};
}
// frontend/src/index.ts
var C = /* @__PURE__ */ new WeakMap(), w = (e) => {
	let { parentElement: t } = e, n = C.get(t);
	(!n || n.disposed) && (n = S(t), C.set(t, n)), n.update(e);
	let r = n;
	return () => {
		r.dispose(), C.get(t) === r && C.delete(t);
	};
};
export { w as default };
