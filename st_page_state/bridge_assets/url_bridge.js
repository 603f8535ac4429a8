/* st-page-state URL bridge (Streamlit Components v2). Built from frontend/src by `npm run build`; do not edit. */
// frontend/src/pageGlobal.ts
var e = "1.0.0", t = Symbol.for("st-page-state.bridge-version");
function n() {
	let n = window, r = n[t];
	if (r === void 0) return n[t] = e, !0;
	if (r !== "1.0.0") {
		let t = Symbol.for(`st-page-state.refused-${e}`);
		return n[t] === void 0 && (n[t] = !0, console.warn(`st-page-state: URL bridge ${e} did not start: version ${String(r)} already runs in this page. Reload the page to use the new version.`)), !1;
	}
	return !0;
}
function r(t, n) {
	let r = window, i = Symbol.for(`st-page-state@${e}.${t}`), a = r[i];
	if (a !== void 0) return a;
	let o = n();
	return r[i] = o, o;
}
var i = 200;
function a(e, t) {
	if (e.has(t)) return !1;
	if (e.add(t), e.size > i) {
		let t = e.values().next().value;
		t !== void 0 && e.delete(t);
	}
	return !0;
}
function o() {
	return r("page-memory", () => ({
		reported: /* @__PURE__ */ new Set(),
		handledPushes: /* @__PURE__ */ new Set(),
		appliedHeld: /* @__PURE__ */ new Set()
	}));
}
// frontend/src/patchHistory.ts
var s = "history-patch";
function c(e) {
	if (e == null) return null;
	try {
		return new URL(String(e), window.location.href);
	} catch {
		return null;
	}
}
function l(e) {
	try {
		e();
	} catch (e) {
		console.error("st-page-state bridge:", e);
	}
}
function u() {
	let e = window.history, t = {
		pushState: e.pushState,
		replaceState: e.replaceState,
		listeners: /* @__PURE__ */ new Set()
	}, n = (e, n = !1) => {
		for (let r of [...t.listeners]) l(() => r.onHistoryEvent(e, n));
	}, r = (e) => {
		if (!e) return !1;
		let n = !1;
		for (let r of t.listeners) l(() => {
			n = r.shouldReplacePush(e) || n;
		});
		return n;
	};
	return e.pushState = function(...e) {
		let i = r(c(e[2])) ? t.replaceState : t.pushState, a = window.location.pathname;
		i.apply(this, e), n("pushState", window.location.pathname !== a);
	}, e.replaceState = function(...e) {
		let r = window.location.pathname;
		t.replaceState.apply(this, e), n("replaceState", window.location.pathname !== r);
	}, window.addEventListener("popstate", () => n("popstate")), window.addEventListener("hashchange", () => n("hashchange")), t;
}
function d() {
	return r(s, u);
}
function f(e) {
	let { listeners: t } = d();
	return t.add(e), () => {
		t.delete(e);
	};
}
// frontend/src/patchSocket.ts
var p = "st-page-state.tab.", m = "/_stcore/stream", h = 3, g = "socket-patch";
function _(e) {
	try {
		return new URL(String(e), window.location.href).pathname.endsWith(m);
	} catch {
		return !1;
	}
}
function v(e, t, n) {
	return n === void 0 || !Array.isArray(t) || t.length !== h || t[0] !== "streamlit" || !_(e) ? t : [...t, `${p}${n}`];
}
function y() {
	let e = window.WebSocket, t = {
		original: e,
		tab: () => void 0
	};
	return typeof e == "function" && (window.WebSocket = new Proxy(e, { construct(e, n, r) {
		let [i, a, ...o] = n, s;
		try {
			s = t.tab();
		} catch (e) {
			console.error("st-page-state bridge:", e);
		}
		let c = v(i, a, s);
		return Reflect.construct(e, c === a ? n : [
			i,
			c,
			...o
		], r);
	} })), t;
}
function b(e) {
	let t = r(g, y);
	return t.tab = e, t;
}
// frontend/src/tabIdentity.ts
var x = "st-page-state.tab-id", S = "st-page-state.tab-origin", C = "st_page_state_tab", w = "st-page-state.tabs";
function T(e) {
	if (typeof e != "object" || !e) return !1;
	let t = e;
	return typeof t.type == "string" && typeof t.id == "string" && typeof t.nonce == "string";
}
function E(e) {
	let t = {
		server: void 0,
		settled: void 0,
		unconfirmed: !1,
		question: void 0,
		reporter: void 0,
		outbox: []
	}, n = (e) => {
		t.unconfirmed = !0, t.reporter ? t.reporter(e) : t.outbox.push(e);
	}, r = (n) => {
		t.settled = n, e.store(n);
	}, i = e.openChannel((e) => {
		T(e) && (e.type === "who" && e.id === t.settled ? i?.({
			type: "here",
			id: e.id,
			nonce: e.nonce
		}) : e.type === "here" && t.question?.nonce === e.nonce && (t.question.answered = !0));
	}), a = (a) => {
		let o = {
			id: a,
			nonce: e.newId(),
			answered: !1
		};
		t.question = o, i?.({
			type: "who",
			id: a,
			nonce: o.nonce
		}), setTimeout(() => {
			t.question = void 0;
			let i = t.server;
			if (o.answered) {
				let t = i?.source === "minted" ? i.id : e.newId();
				r(t), n({
					tab: t,
					from: a
				});
			} else r(a), i?.id !== a && n({
				tab: a,
				from: null
			});
		}, i ? 250 : 0);
	};
	return e.onPageHide(() => {
		let n = t.server, r = t.unconfirmed || t.settled === void 0 ? n?.id : t.settled;
		r !== void 0 && (t.settled !== void 0 || n?.source === "minted" || t.unconfirmed) && e.writeCookie(r);
	}), {
		receive: (i) => {
			if (t.server = i, e.clearCookie(), t.settled !== void 0) {
				i.id !== t.settled && n({
					tab: t.settled,
					from: null
				});
				return;
			}
			if (t.question) return;
			let o = e.readStored(), s = o == null || k(o) ? o : null, c = e.readOrigin(), l = c !== null && k(c) ? c : null;
			if (s === void 0 || s === i.id) r(i.id);
			else if (s === null && i.source === "minted") r(i.id);
			else if (s === null && i.source === "recent" && e.replacedPage()) r(i.id);
			else if (s === null) {
				let t = e.newId();
				r(t), e.storeOrigin(i.id), n({
					tab: t,
					from: null
				});
			} else l === i.id ? (r(s), n({
				tab: s,
				from: l,
				recover: !0
			})) : a(s);
		},
		acknowledge: (n) => {
			n === t.settled && (t.unconfirmed = !1, e.storeOrigin(null));
		},
		setReporter(e) {
			t.reporter = e;
			for (let n of t.outbox.splice(0)) e(n);
		},
		dropReporter(e) {
			t.reporter === e && (t.reporter = void 0);
		},
		get settled() {
			return t.settled;
		},
		get confirmed() {
			return t.unconfirmed ? void 0 : t.settled;
		}
	};
}
function D(e) {
	let t = new Uint8Array(e);
	if (typeof crypto < "u" && typeof crypto.getRandomValues == "function") crypto.getRandomValues(t);
	else for (let n = 0; n < e; n += 1) t[n] = Math.floor(Math.random() * 256);
	return Array.from(t, (e) => e.toString(16).padStart(2, "0")).join("");
}
var O = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
function k(e) {
	return O.test(e);
}
function A() {
	if (typeof crypto < "u" && typeof crypto.randomUUID == "function") return crypto.randomUUID();
	let e = D(16).split("");
	e[12] = "4", e[16] = "89ab"[parseInt(e[16] ?? "0", 16) % 4] ?? "8";
	let t = e.join("");
	return `${t.slice(0, 8)}-${t.slice(8, 12)}-${t.slice(12, 16)}-${t.slice(16, 20)}-${t.slice(20)}`;
}
function j() {
	return `; Path=/; SameSite=Strict${window.location.protocol === "https:" ? "; Secure" : ""}`;
}
var M = {
	readStored() {
		try {
			return window.sessionStorage.getItem(x);
		} catch {
			return;
		}
	},
	store(e) {
		try {
			window.sessionStorage.setItem(x, e);
		} catch {}
	},
	readOrigin() {
		try {
			return window.sessionStorage.getItem(S);
		} catch {
			return null;
		}
	},
	storeOrigin(e) {
		try {
			e === null ? window.sessionStorage.removeItem(S) : window.sessionStorage.setItem(S, e);
		} catch {}
	},
	writeCookie(e) {
		document.cookie = `${C}=${e}; Max-Age=5${j()}`;
	},
	clearCookie() {
		document.cookie = `${C}=; Max-Age=0${j()}`;
	},
	openChannel(e) {
		if (typeof BroadcastChannel > "u") return null;
		let t = new BroadcastChannel(w);
		return t.onmessage = (t) => e(t.data), (e) => t.postMessage(e);
	},
	onPageHide(e) {
		window.addEventListener("pagehide", e);
	},
	newId: A,
	replacedPage() {
		let e = window.navigation, t = e?.activation?.navigationType;
		if (e?.currentEntry) return e.currentEntry.index > 0 || t === "reload" || t === "traverse";
		try {
			let [e] = performance.getEntriesByType("navigation");
			return e?.type === "reload" || e?.type === "back_forward";
		} catch {
			return !1;
		}
	}
};
function N() {
	return r("tab-keeper", () => E(M));
}
// frontend/src/types.ts
function P(e) {
	return typeof e == "object" && !!e;
}
function F(e) {
	return e.replace(/^\?/, "");
}
function I(e) {
	return P(e) ? { from: typeof e.from == "string" ? F(e.from) : "" } : null;
}
function L(e) {
	return !P(e) || typeof e.expected != "string" ? null : {
		expected: F(e.expected),
		owned: Array.isArray(e.owned) ? e.owned.filter((e) => typeof e == "string") : [],
		revision: typeof e.revision == "number" && Number.isFinite(e.revision) ? e.revision : 0,
		push: I(e.push),
		held: I(e.held),
		tab: typeof e.tab == "string" ? e.tab : null
	};
}
function R(e) {
	let t = P(e) && typeof e.expected != "string" ? e.tab : void 0;
	if (!P(t) || typeof t.id != "string" || t.id === "") return null;
	let n = t.source === "cookie" || t.source === "socket" || t.source === "recent" ? t.source : "minted";
	return {
		id: t.id,
		source: n
	};
}
// frontend/src/query.ts
function z(e) {
	return e.startsWith("?") ? e.slice(1) : e;
}
function B(e, t) {
	return e.length === t.length && e.every((e, n) => e === t[n]);
}
function V(e, t, n) {
	let r = new URLSearchParams(e), i = new URLSearchParams(t);
	return n.some((e) => !B(r.getAll(e), i.getAll(e)));
}
function H(e, t) {
	return new URLSearchParams(e).toString() === new URLSearchParams(t).toString();
}
function U(e) {
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
// frontend/src/urlSync.ts
var W = 1500, G = 1e3;
function K() {
	return z(window.location.search);
}
function q(e, t, n, r) {
	return [
		t.expected,
		t.held?.from,
		n
	].some((t) => t !== void 0 && !V(e, t, r));
}
function J(e) {
	let { pathname: t, hash: n } = window.location;
	return t + (e ? `?${e}` : "") + n;
}
var Y = class {
	constructor(e) {
		this.isAttached = e, this.disposed = !1, this.memory = o(), this.patch = d(), this.coalescer = U(() => this.check()), this.sendReport = () => void 0, this.unsubscribe = f({
			onHistoryEvent: (e, t) => this.onHistoryEvent(e, t),
			shouldReplacePush: (e) => this.shouldReplacePush(e)
		});
	}
	get isDisposed() {
		return this.disposed;
	}
	update(e, t) {
		if (this.disposed) return;
		this.sendReport = t;
		let n = this.data;
		this.data = e;
		let r = this.awaitWrite(n), { suppression: i } = this;
		i && (e.revision !== i.revision || e.expected !== i.expected) && (this.suppression = void 0), this.applyHeld(), this.applyPush(), this.requestCheck(n === void 0 ? "mount" : "data"), r && (this.coalescer.cancel(), this.check());
	}
	dispose() {
		this.disposed || (this.disposed = !0, this.unsubscribe(), this.coalescer.cancel());
	}
	alive() {
		return !this.disposed && !this.isAttached() && this.dispose(), !this.disposed;
	}
	isSuppressed() {
		return this.suppression !== void 0 && Date.now() < this.suppression.until;
	}
	requestCheck(e) {
		(e !== "data" || this.pendingCause === void 0) && (this.pendingCause = e), this.coalescer.schedule();
	}
	check() {
		let { data: e } = this;
		if (!e || !this.alive()) return;
		if (this.suppression) {
			let e = this.suppression.until - Date.now();
			if (e > 0) {
				this.coalescer.schedule(e);
				return;
			}
			this.suppression = void 0;
		}
		let t = this.pendingCause ?? "data";
		this.pendingCause = void 0;
		let n = K();
		V(n, e.expected, e.owned) && !this.writeOnItsWay(n) && a(this.memory.reported, JSON.stringify([
			e.revision,
			e.expected,
			n
		])) && (this.lastReported = n, this.sendReport({
			query: n,
			revision: e.revision,
			cause: t
		}));
	}
	awaitWrite(e) {
		let { data: t, pendingWrite: n } = this;
		if (!t || n && n.revision === t.revision) return !1;
		let r = K(), i = e !== void 0 && t.revision > e.revision, a = V(r, t.expected, t.owned);
		this.pendingWrite = i && a && q(r, e, this.lastReported, t.owned) ? {
			revision: t.revision,
			before: r
		} : void 0;
		let o = e === void 0 && a && !(t.held && !V(r, t.held.from, t.owned));
		return i && a && !this.pendingWrite || o;
	}
	writeOnItsWay(e) {
		let { data: t, pendingWrite: n } = this;
		return t !== void 0 && n !== void 0 && n.revision === t.revision && !V(e, n.before, t.owned);
	}
	applyHeld() {
		let { data: e } = this;
		e?.held && H(K(), e.held.from) && a(this.memory.appliedHeld, JSON.stringify([e.revision, e.expected])) && this.patch.replaceState.call(window.history, window.history.state, "", J(e.expected));
	}
	applyPush() {
		let { data: e } = this;
		if (!e?.push || this.isSuppressed()) return;
		let t = K();
		if (V(t, e.expected, e.owned)) return;
		let { from: n } = e.push;
		if (!a(this.memory.handledPushes, JSON.stringify([e.revision, n])) || !V(n, t, e.owned)) return;
		let r = window.history.state;
		this.patch.replaceState.call(window.history, r, "", J(n)), this.patch.pushState.call(window.history, r, "", J(t));
	}
	awaitServerData(e) {
		this.suppression = {
			revision: this.data?.revision ?? 0,
			expected: this.data?.expected ?? "",
			until: Date.now() + e
		};
	}
	onHistoryEvent(e, t) {
		if (!this.alive()) return;
		if (e === "popstate") {
			this.pendingCause = "popstate", this.awaitServerData(W), this.coalescer.schedule(W);
			return;
		}
		this.applyPush();
		let { data: n } = this;
		n && this.pendingWrite && !V(K(), n.expected, n.owned) && (this.pendingWrite = void 0), e === "pushState" && t && n && !this.isSuppressed() && V(K(), n.expected, n.owned) && this.awaitServerData(G), this.requestCheck(e);
	}
	shouldReplacePush(e) {
		let { data: t } = this;
		if (!t || !this.alive()) return !1;
		let n = window.location;
		if (e.origin !== n.origin || e.pathname !== n.pathname || e.hash !== "" && e.hash !== n.hash) return !1;
		let r = z(e.search), i = K();
		return V(r, i, t.owned) || H(r, t.expected) || H(r, i);
	}
};
// frontend/src/index.ts
function X(e) {
	return e instanceof ShadowRoot ? e.host.isConnected : e.isConnected;
}
var Z = /* @__PURE__ */ new WeakMap(), Q = (e) => {
	if (!n()) return;
	d();
	let t = N();
	b(() => t.confirmed);
	let r = R(e.data);
	r && t.receive(r);
	let i = L(e.data), { parentElement: a } = e, o = Z.get(a), s = (t) => e.setTriggerValue("identity", t);
	i && ((!o || o.isDisposed) && (o = new Y(() => X(a)), Z.set(a, o)), o.update(i, (t) => e.setTriggerValue("report", t)), t.setReporter(s), i.tab !== null && t.acknowledge(i.tab));
	let c = o;
	return () => {
		t.dropReporter(s), c && (c.dispose(), Z.get(a) === c && Z.delete(a));
	};
};
export { Q as default };
