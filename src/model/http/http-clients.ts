// Recognises outgoing calls to other services — HTTP clients, gRPC clients and provider SDKs —
// through imports and construction, never by names alone. One pass per SourceFile, shared by the
// services and webhooks inventories and the http/webhook rules.
import { Node, SyntaxKind, ts, type CallExpression, type SourceFile } from "ts-morph";
import { getImports, type ImportBinding } from "../../analysis/imports.js";
import type { Workspace } from "../../analysis/workspace.js";
import { getObjectProps, getProcessEnvName, resolveConstInitializer, resolveObject, unwrap } from "../syntax/syntax-helpers.js";
import { isExported } from "../../analysis/syntactic-exports.js";
import { findDescendants, findDescendantsOfKind, getStartLine, someDescendant } from "../../analysis/find-descendants.js";
import { getFetchWrappers, type FetchWrapper } from "./fetch-wrappers.js";

export type CallKind = "http" | "sdk" | "grpc";

export interface ServiceCall {
  /** The call that talks to the service (for a gRPC or SDK client never called in the file: its construction). */
  node: Node;
  line: number;
  library: string;
  kind: CallKind;
  /** Upper-case HTTP method, or the SDK/gRPC method (`customers.create`, `PutObject`). */
  method?: string;
  /** URL with placeholders, e.g. `{USERS_API_URL}/users/{id}`. */
  endpoint?: string;
  /** The URL expression as written (for webhook target recognition). */
  urlNode?: Node;
  /** Host when constant, env var name when configured, provider for SDKs. */
  name: string;
  serviceKind: "internal" | "external";
  auth: string;
  /** How the call is bounded in time: `5000`, `signal`, `default`…; undefined when nothing bounds it. */
  timeout?: string;
  /** The options could not be read fully (a variable, a spread): rules must not conclude "missing". */
  optionsUnknown: boolean;
  /** Whether a time bound could hide where the rule cannot read (the options object itself, not its headers). */
  timeoutUnknown: boolean;
  /**
   * The argument that holds the call's own options (fetch's `init`, axios's `config`), where a fix
   * can add one; undefined when that place is not certain (a project helper, `axios(x)` with `x` unknown).
   */
  optionsIndex?: number;
  /** Request headers (lower-case names) from the call and its client instance. */
  headers: Map<string, Node>;
  body?: Node;
  /** Retry configured on the call or its client (`got retry option`, `axios-retry`). */
  retry?: string;
}

interface ClientConfig {
  library: string;
  baseUrl?: Node;
  timeout?: string;
  headers: Map<string, Node>;
  open: boolean;
  retry?: string;
  auth?: string;
}

const cache = new WeakMap<SourceFile, Promise<ServiceCall[]>>();

/** Every outgoing service call in a file (cached per parsed file). */
export function getServiceCalls(source: SourceFile, workspace?: Workspace, path?: string): Promise<ServiceCall[]> {
  let result = cache.get(source);
  if (!result) {
    result = collect(source, workspace, path);
    cache.set(source, result);
  }
  return result;
}

const FETCH_MODULES: Record<string, string> = { "node-fetch": "node-fetch", "cross-fetch": "cross-fetch", "isomorphic-fetch": "isomorphic-fetch", undici: "undici" };
const NODE_HTTP = /^(node:)?https?$/;
const AXIOS_VERBS_NO_BODY = new Set(["get", "delete", "head", "options"]);
const AXIOS_VERBS_BODY = new Set(["post", "put", "patch"]);
const VERBS = new Set([...AXIOS_VERBS_NO_BODY, ...AXIOS_VERBS_BODY]);

interface SdkSpec {
  module: RegExp;
  /** Exported names that are clients (`default` for the default export). */
  exports: RegExp;
  name: (binding: ImportBinding, className: string) => string;
  /** `new X()` or a plain call `x()` (twilio), or the import itself is the client (sendgrid). */
  style: "new" | "call" | "module";
  auth: string;
  /** Methods that run locally (signature checks, configuration): not service calls. */
  local?: RegExp;
}

const SDKS: SdkSpec[] = [
  { module: /^stripe$/, exports: /^(default|Stripe)$/, name: () => "Stripe", style: "new", auth: "API key (SDK)", local: /^webhooks\./ },
  { module: /^@aws-sdk\/(client|lib)-/, exports: /^(?!.*Command$)[A-Z]\w*$/, name: (_b, c) => `AWS ${c.replace(/(Document)?Client$/, "") || "SDK"}`, style: "new", auth: "AWS SigV4 (SDK)" },
  { module: /^(@octokit\/(rest|core)|octokit)$/, exports: /^(Octokit|App)$/, name: () => "GitHub", style: "new", auth: "GitHub token (SDK)", local: /^(hook|log|auth)\b/ },
  { module: /^twilio$/, exports: /^(default|\*|Twilio)$/, name: () => "Twilio", style: "call", auth: "API key (SDK)", local: /^(validateRequest|validateExpressRequest|webhook|validateRequestWithBody)$/ },
  { module: /^@sendgrid\/mail$/, exports: /^(default|\*)$/, name: () => "SendGrid", style: "module", auth: "API key (SDK)", local: /^(setApiKey|setClient|setSubstitutionWrappers|setTimeout|setTwilioEmailAuth)$/ },
  { module: /^openai$/, exports: /^(default|OpenAI)$/, name: () => "OpenAI", style: "new", auth: "API key (SDK)" },
  { module: /^@anthropic-ai\/sdk$/, exports: /^(default|Anthropic)$/, name: () => "Anthropic", style: "new", auth: "API key (SDK)" },
  { module: /^@slack\/web-api$/, exports: /^WebClient$/, name: () => "Slack", style: "new", auth: "bot token (SDK)" },
  { module: /^resend$/, exports: /^Resend$/, name: () => "Resend", style: "new", auth: "API key (SDK)" },
  { module: /^postmark$/, exports: /^(ServerClient|AccountClient)$/, name: () => "Postmark", style: "new", auth: "API key (SDK)" },
  { module: /^@google-cloud\/storage$/, exports: /^Storage$/, name: () => "Google Cloud Storage", style: "new", auth: "service account (SDK)" },
  { module: /^@sentry\/node$/, exports: /^$/, name: () => "Sentry", style: "module", auth: "DSN (SDK)" },
];

const NOT_CALLS = /^(on|once|off|emit|destroy|close|config|middleware|constructor|toString|then|catch)$/;

async function collect(source: SourceFile, workspace?: Workspace, path?: string): Promise<ServiceCall[]> {
  const imports = getImports(source);
  const calls: ServiceCall[] = [];
  const clients = new Map<string, ClientConfig>();
  const sdkClients = new Map<string, { spec: SdkSpec; name: string; library: string; node: Node; used: boolean }>();
  const grpcClients = new Map<string, { name: string; node: Node; endpoint?: Node; auth: string; used: boolean }>();
  const localFetch = hasLocalDeclaration(source, "fetch");
  const importsGrpc = [...imports.values()].some((b) => b.module === "@grpc/grpc-js" || b.module === "grpc");
  const axiosRetried = [...imports.values()].some((b) => b.module === "axios-retry");

  const moduleOf = (name: string) => imports.get(name);
  const isLib = (node: Node, module: string, imported = "default") => {
    if (!Node.isIdentifier(node)) return false;
    const b = moduleOf(node.getText());
    return b !== undefined && b.module === module && (b.imported === imported || (imported === "default" && b.imported === "*"));
  };

  // Clients constructed in this file: axios.create, got.extend, ky.create, undici Client/Pool, SDKs, gRPC.
  for (const decl of findDescendants(source, ASSIGNMENT_KINDS)) {
    const target = getAssignmentTarget(decl);
    if (!target) continue;
    if (Node.isParameterDeclaration(target.init)) {
      clients.set(target.key, { library: "@nestjs/axios", headers: new Map(), open: true, timeout: "HttpModule config" });
      continue;
    }
    const init = unwrap(target.init);
    const client = readClientConstruction(init);
    if (client) clients.set(target.key, client);
    const sdk = readSdkConstruction(init);
    if (sdk) sdkClients.set(target.key, { ...sdk, node: init, used: false });
    const grpc = importsGrpc ? readGrpcConstruction(init) : undefined;
    if (grpc) grpcClients.set(target.key, { ...grpc, node: init, used: false });
  }
  // sendgrid / sentry: the imported module is the client
  for (const binding of imports.values()) {
    const spec = SDKS.find((s) => s.style === "module" && s.module.test(binding.module) && s.exports.test(binding.imported));
    if (spec) sdkClients.set(binding.local, { spec, name: spec.name(binding, binding.local), library: binding.module, node: source, used: true });
  }
  // Clients exported by a local module: `import { api } from "./http"`.
  if (workspace && path) {
    for (const binding of imports.values()) {
      if (clients.has(binding.local) || sdkClients.has(binding.local)) continue;
      if (!isUsedAsReceiver(source, binding.local)) continue;
      // Any module of the repository: relative, a path alias or a workspace package (libraries resolve to nothing).
      const resolved = await workspace.resolveImportedName(path, binding.module, binding.imported).catch(() => undefined);
      if (!resolved) continue;
      const exported = findExportedInit(resolved.source, resolved.name);
      if (!exported) continue;
      const otherImports = getImports(resolved.source);
      const client = readClientConstruction(unwrap(exported), otherImports, resolved.source);
      if (client) {
        clients.set(binding.local, client);
        continue;
      }
      const sdk = readSdkConstruction(unwrap(exported), otherImports);
      if (sdk) sdkClients.set(binding.local, { ...sdk, node: source, used: true });
    }
  }
  // axios.defaults.timeout = 5000; api.defaults.timeout = 5000
  const defaultsTimeout = new Set<string>();
  for (const bin of findDescendantsOfKind(source, SyntaxKind.BinaryExpression)) {
    const m = /^([\w.]+)\.defaults\.timeout$/.exec(bin.getLeft().getText());
    if (m && bin.getOperatorToken().getKind() === SyntaxKind.EqualsToken) defaultsTimeout.add(m[1]!);
  }
  // axiosRetry(api, {...})
  const retriedClients = new Set<string>();
  if (axiosRetried) {
    for (const call of findDescendantsOfKind(source, SyntaxKind.CallExpression)) {
      const callee = call.getExpression();
      const b = Node.isIdentifier(callee) ? moduleOf(callee.getText()) : undefined;
      if (b?.module === "axios-retry" && call.getArguments()[0]) retriedClients.add(call.getArguments()[0]!.getText());
    }
  }

  const wrappers = workspace && path ? await getFetchWrappers(source, workspace, path) : new Map<string, FetchWrapper>();

  for (const call of findDescendantsOfKind(source, SyntaxKind.CallExpression)) {
    const callee = unwrap(call.getExpression());
    const args = call.getArguments();
    // fetch-like: global fetch, node-fetch, undici fetch
    if (Node.isIdentifier(callee)) {
      const name = callee.getText();
      const b = moduleOf(name);
      if ((name === "fetch" && !b && !localFetch) || (b && FETCH_MODULES[b.module] && (b.imported === "default" || b.imported === "fetch" || b.imported === "*") && b.module !== "undici") || (b?.module === "undici" && b.imported === "fetch")) {
        calls.push(fromFetch(call, b ? FETCH_MODULES[b.module]! : "fetch"));
        continue;
      }
      if (b && NODE_HTTP.test(b.module) && (b.imported === "request" || b.imported === "get")) {
        calls.push(fromNodeHttp(call, b.module.replace(/^node:/, ""), b.imported));
        continue;
      }
      if (b?.module === "undici" && b.imported === "request") {
        calls.push(fromUndiciRequest(call, args[0], args[1]));
        continue;
      }
      if (b && b.imported === "default" && (b.module === "axios" || b.module === "got" || b.module === "ky")) {
        const lib = b.module;
        if (lib === "axios") calls.push(fromAxiosLike(call, "axios", undefined, configOrUrl(args), defaultsTimeout.has(name), retriedClients.has(name)));
        else calls.push(fromGotLike(call, lib, undefined, args[0], args[1]));
        continue;
      }
      const wrapper = wrappers.get(name);
      if (wrapper) {
        calls.push(fromWrapper(call, wrapper));
        continue;
      }
    }
    if (!Node.isPropertyAccessExpression(callee)) continue;
    const receiver = unwrap(callee.getExpression());
    const member = callee.getName();
    const receiverText = receiver.getText().replace(/\s+/g, "");
    if ((receiverText === "globalThis" || receiverText === "window") && member === "fetch") {
      calls.push(fromFetch(call, "fetch"));
      continue;
    }
    if ((member === "request" || member === "get") && Node.isIdentifier(receiver)) {
      const b = moduleOf(receiverText);
      if (b && NODE_HTTP.test(b.module) && (b.imported === "default" || b.imported === "*")) {
        calls.push(fromNodeHttp(call, b.module.replace(/^node:/, ""), member));
        continue;
      }
    }
    // default library objects: axios.get, got.post, ky.put
    for (const lib of ["axios", "got", "ky"]) {
      if (!isLib(receiver, lib)) continue;
      if (lib === "axios" && (VERBS.has(member) || member === "request")) {
        calls.push(fromAxiosLike(call, "axios", undefined, axiosArgs(member, args), defaultsTimeout.has(receiverText), retriedClients.has(receiverText)));
      } else if (lib !== "axios" && VERBS.has(member)) {
        calls.push(fromGotLike(call, lib, undefined, args[0], args[1], member));
      }
    }
    const client = clients.get(receiverText);
    if (client) {
      if (client.library === "axios" && (VERBS.has(member) || member === "request")) {
        calls.push(fromAxiosLike(call, "axios", client, axiosArgs(member, args), defaultsTimeout.has(receiverText), retriedClients.has(receiverText)));
      } else if ((client.library === "got" || client.library === "ky") && VERBS.has(member)) {
        calls.push(fromGotLike(call, client.library, client, args[0], args[1], member));
      } else if (client.library === "undici" && (member === "request" || member === "stream")) {
        calls.push(fromUndiciRequest(call, undefined, args[0], client));
      } else if (client.library === "@nestjs/axios" && (VERBS.has(member) || member === "request")) {
        calls.push({ ...fromAxiosLike(call, "@nestjs/axios", client, axiosArgs(member, args), false, false), timeout: "HttpModule config", optionsUnknown: true });
      }
      continue;
    }
    // SDK and gRPC clients: calls through a chain rooted at the client (`stripe.customers.create`)
    const chain = getChain(callee);
    if (!chain) continue;
    const sdk = sdkClients.get(chain.root);
    if (sdk) {
      const methodPath = chain.members.join(".");
      if (sdk.spec.local?.test(methodPath) || NOT_CALLS.test(member) || chain.members.length === 0) continue;
      sdk.used = true;
      let method = methodPath;
      if (member === "send" && args[0] && Node.isNewExpression(unwrap(args[0]))) {
        method = (unwrap(args[0]) as import("ts-morph").NewExpression).getExpression().getText().replace(/Command$/, "");
      } else if (member === "request" && args[0] && (Node.isStringLiteral(args[0]) || Node.isNoSubstitutionTemplateLiteral(args[0]))) {
        method = args[0].getLiteralValue();
      }
      calls.push({
        node: call, line: getStartLine(call), library: sdk.library, kind: "sdk", method,
        name: sdk.name, serviceKind: "external", auth: sdk.spec.auth, timeout: "default", optionsUnknown: true, timeoutUnknown: true, headers: new Map(),
      });
      continue;
    }
    const grpc = grpcClients.get(chain.root);
    if (grpc && chain.members.length === 1 && !NOT_CALLS.test(member) && !/^(waitForReady|getChannel|makeUnaryRequest)$/.test(member)) {
      grpc.used = true;
      calls.push(grpcCall(call, grpc, member));
    }
  }
  for (const [, sdk] of sdkClients) {
    if (sdk.used || Node.isSourceFile(sdk.node)) continue;
    calls.push({
      node: sdk.node, line: getStartLine(sdk.node), library: sdk.library, kind: "sdk",
      name: sdk.name, serviceKind: "external", auth: sdk.spec.auth, timeout: "default", optionsUnknown: true, timeoutUnknown: true, headers: new Map(),
    });
  }
  for (const [, grpc] of grpcClients) if (!grpc.used) calls.push(grpcCall(grpc.node, grpc, undefined));
  return calls.sort((a, b) => a.line - b.line);

  // ---- helpers closed over this file's imports ----

  function readClientConstruction(init: Node, fileImports = imports, file = source): ClientConfig | undefined {
    const libOf = (n: Node) => (Node.isIdentifier(n) ? fileImports.get(n.getText()) : undefined);
    if (Node.isCallExpression(init)) {
      const callee = unwrap(init.getExpression());
      if (!Node.isPropertyAccessExpression(callee)) return undefined;
      const b = libOf(unwrap(callee.getExpression()));
      const m = callee.getName();
      const lib = b && (b.imported === "default" || b.imported === "*") ? b.module : undefined;
      if ((lib === "axios" && m === "create") || (lib === "got" && m === "extend") || (lib === "ky" && (m === "create" || m === "extend"))) {
        const config = resolveObject(init.getArguments()[0]);
        const props = config ? getObjectProps(config) : { props: new Map<string, Node>(), open: init.getArguments().length > 0 };
        const headers = readHeaders(props.props.get("headers"));
        const timeout = props.props.get("timeout");
        const local = file !== source ? `${callee.getExpression().getText()}.defaults.timeout` : "";
        const fileDefaults = local && file.getText().includes(".defaults.timeout");
        return {
          library: lib,
          baseUrl: props.props.get(lib === "axios" ? "baseURL" : "prefixUrl") ?? props.props.get("prefixUrl"),
          timeout: timeout ? timeout.getText() : lib === "ky" ? "default (10 s)" : fileDefaults ? "defaults" : undefined,
          headers: headers.map,
          open: props.open || headers.open,
          retry: props.props.get("retry")?.getText() ?? (file.getText().includes("axios-retry") && lib === "axios" ? "axios-retry" : undefined),
          auth: props.props.has("auth") || (props.props.has("username") && props.props.has("password")) ? "basic" : undefined,
        };
      }
      return undefined;
    }
    if (Node.isNewExpression(init)) {
      const b = libOf(unwrap(init.getExpression()));
      if (b?.module === "undici" && /^(Client|Pool|Agent)$/.test(b.imported)) {
        const [origin, options] = init.getArguments();
        const props = resolveObject(options);
        const read = props ? getObjectProps(props) : undefined;
        const timeout = read && (read.props.get("headersTimeout") ?? read.props.get("bodyTimeout"));
        return { library: "undici", baseUrl: origin, timeout: timeout?.getText(), headers: new Map(), open: read ? read.open : options !== undefined };
      }
    }
    return undefined;
  }

  function readSdkConstruction(init: Node, fileImports = imports): { spec: SdkSpec; name: string; library: string } | undefined {
    let ctor: Node | undefined;
    let style: SdkSpec["style"] | undefined;
    if (Node.isNewExpression(init)) {
      ctor = unwrap(init.getExpression());
      style = "new";
    } else if (Node.isCallExpression(init)) {
      const callee = unwrap(init.getExpression());
      if (Node.isIdentifier(callee)) {
        ctor = callee;
        style = "call";
      } else if (Node.isPropertyAccessExpression(callee) && callee.getName() === "from") {
        ctor = unwrap(callee.getExpression()); // DynamoDBDocumentClient.from(client)
        style = "new";
      }
    }
    if (!ctor || !Node.isIdentifier(ctor)) return undefined;
    const b = fileImports.get(ctor.getText());
    if (!b) return undefined;
    const spec = SDKS.find((s) => s.module.test(b.module) && s.exports.test(b.imported) && (s.style === style || (s.style === "call" && style === "new")));
    return spec ? { spec, name: spec.name(b, b.imported === "default" ? ctor.getText() : b.imported), library: b.module } : undefined;
  }

  function readGrpcConstruction(init: Node): { name: string; endpoint?: Node; auth: string } | undefined {
    if (!Node.isNewExpression(init)) return undefined;
    const args = init.getArguments();
    const creds = args[1]?.getText() ?? "";
    if (!/credentials\.create\w*|createInsecure|createSsl|combineChannelCredentials/.test(creds)) return undefined;
    const name = init.getExpression().getText().split(".").pop()!.replace(/Client$/, "");
    const auth = /createInsecure/.test(creds) ? "none" : /combine/.test(creds) ? "TLS + call credentials" : /createSsl/.test(creds) ? "TLS" : "unknown";
    return { name, endpoint: args[0], auth };
  }
}

function grpcCall(node: Node, client: { name: string; endpoint?: Node; auth: string }, method: string | undefined): ServiceCall {
  const endpoint = client.endpoint ? renderUrl(client.endpoint) : undefined;
  const kind = endpoint ? classify(endpoint) : undefined;
  return {
    node, line: getStartLine(node), library: "@grpc/grpc-js", kind: "grpc", method, endpoint,
    name: `${client.name} (gRPC)`, serviceKind: kind ?? "internal", auth: client.auth, timeout: "deadline", optionsUnknown: true, timeoutUnknown: true, headers: new Map(),
  };
}

/** `const x = …`, `this.x = …`, `private x = …` → { key: "x" | "this.x", init }. */
function getAssignmentTarget(node: Node): { key: string; init: Node } | undefined {
  if (Node.isVariableDeclaration(node)) {
    const init = node.getInitializer();
    return init && Node.isIdentifier(node.getNameNode()) ? { key: node.getName(), init } : undefined;
  }
  if (Node.isPropertyDeclaration(node)) {
    const init = node.getInitializer();
    return init ? { key: `this.${node.getName()}`, init } : undefined;
  }
  if (Node.isBinaryExpression(node) && node.getOperatorToken().getKind() === SyntaxKind.EqualsToken) {
    const left = node.getLeft();
    if (Node.isPropertyAccessExpression(left) && left.getExpression().getKind() === SyntaxKind.ThisKeyword) return { key: left.getText(), init: node.getRight() };
  }
  // constructor(private readonly http: HttpService) — NestJS HttpService from @nestjs/axios
  if (Node.isParameterDeclaration(node) && node.getScope() !== undefined) {
    const type = node.getTypeNode()?.getText();
    if (type === "HttpService") {
      const b = getImports(node.getSourceFile()).get("HttpService");
      if (b?.module === "@nestjs/axios") return { key: `this.${node.getName()}`, init: node };
    }
  }
  return undefined;
}

const ASSIGNMENT_KINDS = new Set([SyntaxKind.VariableDeclaration, SyntaxKind.PropertyDeclaration, SyntaxKind.BinaryExpression, SyntaxKind.Parameter]);
const DECLARATION_KINDS = new Set([SyntaxKind.FunctionDeclaration, SyntaxKind.VariableDeclaration, SyntaxKind.Parameter, SyntaxKind.MethodDeclaration, SyntaxKind.BindingElement]);
const PROPERTY_ACCESS = new Set([SyntaxKind.PropertyAccessExpression]);

function hasLocalDeclaration(source: SourceFile, name: string): boolean {
  if (!source.getFullText().includes(name)) return false;
  return someDescendant(source, DECLARATION_KINDS, (node) => {
    const declared = (node as ts.NamedDeclaration).name;
    return declared !== undefined && ts.isIdentifier(declared) && declared.text === name;
  });
}

function isUsedAsReceiver(source: SourceFile, name: string): boolean {
  if (!source.getFullText().includes(name)) return false;
  return someDescendant(source, PROPERTY_ACCESS, (node) => {
    const receiver = (node as ts.PropertyAccessExpression).expression;
    return receiver.getText(source.compilerNode) === name;
  });
}

/** The initializer of an exported binding of a module (`export const api = …`, `export default …`). */
function findExportedInit(source: SourceFile, imported: string): Node | undefined {
  if (imported === "default") {
    const assignment = source.getExportAssignments()[0];
    if (!assignment) return undefined;
    const expr = unwrap(assignment.getExpression());
    return Node.isIdentifier(expr) ? resolveConstInitializer(expr) : expr;
  }
  for (const decl of source.getVariableDeclarations()) if (decl.getName() === imported && isExported(decl)) return decl.getInitializer();
  for (const decl of source.getVariableDeclarations()) {
    if (decl.getName() !== imported) continue;
    const exportedLater = source.getExportDeclarations().some((e) => e.getNamedExports().some((n) => n.getName() === imported));
    if (exportedLater) return decl.getInitializer();
  }
  return undefined;
}

function getChain(node: Node): { root: string; members: string[] } | undefined {
  const members: string[] = [];
  let current: Node = node;
  while (Node.isPropertyAccessExpression(current)) {
    members.unshift(current.getName());
    const inner = unwrap(current.getExpression());
    if (Node.isPropertyAccessExpression(inner) && inner.getExpression().getKind() === SyntaxKind.ThisKeyword) {
      return { root: inner.getText(), members };
    }
    current = inner;
  }
  return Node.isIdentifier(current) ? { root: current.getText(), members } : undefined;
}

interface AxiosArgs {
  url?: Node;
  config?: Node;
  data?: Node;
  method?: string;
  configIndex?: number;
}

function configOrUrl(args: Node[]): AxiosArgs {
  const [first, second] = args;
  if (first && resolveObject(first) && !second) return { config: first, configIndex: 0 };
  // `axios(x, config)` reads a config only when `x` is a URL: known for a string, not for a variable.
  const isUrl = first !== undefined && (Node.isStringLiteral(first) || Node.isNoSubstitutionTemplateLiteral(first) || Node.isTemplateExpression(first));
  return { url: first, config: second, configIndex: isUrl ? 1 : undefined };
}

function axiosArgs(member: string, args: Node[]): AxiosArgs {
  if (member === "request") return { config: args[0], configIndex: 0 };
  if (AXIOS_VERBS_BODY.has(member)) return { url: args[0], data: args[1], config: args[2], method: member.toUpperCase(), configIndex: 2 };
  return { url: args[0], config: args[1], method: member.toUpperCase(), configIndex: 1 };
}

interface HeaderRead {
  map: Map<string, Node>;
  open: boolean;
}

function readHeaders(node: Node | undefined): HeaderRead {
  if (!node) return { map: new Map(), open: false };
  const inner = unwrap(node);
  // new Headers({...})
  if (Node.isNewExpression(inner) && inner.getExpression().getText() === "Headers") return readHeaders(inner.getArguments()[0]);
  const object = resolveObject(inner);
  if (!object) return { map: new Map(), open: true };
  const { props, open } = getObjectProps(object);
  return { map: new Map([...props].map(([k, v]) => [k.toLowerCase(), v])), open };
}

function fromFetch(call: CallExpression, library: string): ServiceCall {
  const [url, init] = call.getArguments();
  const object = resolveObject(init);
  const read = object ? getObjectProps(object) : { props: new Map<string, Node>(), open: init !== undefined };
  const headers = readHeaders(read.props.get("headers"));
  const timeout = read.props.get("signal") ? "signal" : read.props.get("timeout")?.getText() ?? (read.props.get("dispatcher") ? "dispatcher" : undefined);
  return finish({
    node: call, library, kind: "http", method: literalMethod(read.props.get("method")) ?? (read.open ? undefined : "GET"),
    urlNode: url, headers: headers.map, optionsUnknown: read.open || headers.open, timeoutUnknown: read.open, timeout, body: read.props.get("body"),
    optionsIndex: 1,
  });
}

/** A call of a project helper that wraps fetch: bounded by the helper, or by the options it forwards. */
function fromWrapper(call: CallExpression, wrapper: FetchWrapper): ServiceCall {
  const args = call.getArguments();
  const options = wrapper.optionsIndex !== undefined ? args[wrapper.optionsIndex] : undefined;
  const object = resolveObject(options);
  const read = object ? getObjectProps(object) : { props: new Map<string, Node>(), open: options !== undefined };
  const headers = readHeaders(read.props.get("headers"));
  const own = read.props.get("signal") ? "signal" : read.props.get("timeout")?.getText();
  return finish({
    node: call, library: wrapper.library, kind: "http",
    method: literalMethod(read.props.get("method")) ?? wrapper.method ?? (read.open ? undefined : "GET"),
    urlNode: args[0], headers: headers.map, optionsUnknown: read.open || headers.open || wrapper.optionsIndex === undefined,
    // a helper that neither bounds the call nor takes options cannot be fixed at the call site
    timeoutUnknown: read.open || (wrapper.timeout === undefined && wrapper.optionsIndex === undefined),
    timeout: wrapper.timeout ? `helper (${wrapper.timeout})` : own, body: read.props.get("body"),
  });
}

/** http.request / https.get: a timeout option, or `req.setTimeout` / `signal` in the same function. */
function fromNodeHttp(call: CallExpression, library: string, member: string): ServiceCall {
  const args = call.getArguments();
  const objectIndex = args.findIndex((a) => resolveObject(a) !== undefined);
  const object = objectIndex >= 0 ? resolveObject(args[objectIndex]) : undefined;
  const read = object ? getObjectProps(object) : { props: new Map<string, Node>(), open: false };
  const urlNode = objectIndex === 0 ? undefined : args[0];
  const headers = readHeaders(read.props.get("headers"));
  const fn = call.getAncestors().find((a) => Node.isFunctionLikeDeclaration(a) || Node.isArrowFunction(a) || Node.isFunctionExpression(a)) ?? call.getSourceFile();
  const bounded = read.props.get("timeout")?.getText() ?? (read.props.get("signal") ? "signal" : undefined) ?? (/\.setTimeout\s*\(/.test(fn.getText()) ? "setTimeout" : undefined);
  const host = read.props.get("hostname") ?? read.props.get("host");
  const path = read.props.get("path");
  return finish({
    node: call, library, kind: "http", method: member === "get" ? "GET" : literalMethod(read.props.get("method")) ?? (read.open ? undefined : "GET"),
    urlNode: urlNode ?? path, baseUrl: urlNode ? undefined : host, headers: headers.map,
    optionsUnknown: read.open || headers.open || args.some((a) => Node.isIdentifier(a) && resolveObject(a) === undefined && a !== urlNode),
    timeout: bounded,
  });
}

function fromUndiciRequest(call: CallExpression, url: Node | undefined, options: Node | undefined, client?: ClientConfig): ServiceCall {
  const object = resolveObject(options);
  const read = object ? getObjectProps(object) : { props: new Map<string, Node>(), open: options !== undefined };
  const headers = readHeaders(read.props.get("headers"));
  const timeout = read.props.get("signal") ? "signal" : (read.props.get("headersTimeout") ?? read.props.get("bodyTimeout"))?.getText() ?? client?.timeout;
  return finish({
    node: call, library: "undici", kind: "http", method: literalMethod(read.props.get("method")) ?? (read.open ? undefined : "GET"),
    urlNode: url ?? read.props.get("path"), baseUrl: client?.baseUrl, headers: headers.map, optionsUnknown: read.open || headers.open || (client?.open ?? false),
    timeout, body: read.props.get("body"),
  });
}

function fromAxiosLike(
  call: CallExpression, library: string, client: ClientConfig | undefined,
  args: AxiosArgs, defaultsTimeout: boolean, retried: boolean,
): ServiceCall {
  const object = resolveObject(args.config);
  const read = object ? getObjectProps(object) : { props: new Map<string, Node>(), open: args.config !== undefined };
  const headers = readHeaders(read.props.get("headers"));
  const allHeaders = new Map([...(client?.headers ?? []), ...headers.map]);
  const timeout = read.props.get("timeout")?.getText() ?? (read.props.get("signal") ? "signal" : undefined) ?? client?.timeout ?? (defaultsTimeout ? "defaults" : undefined);
  const auth = read.props.has("auth") ? "basic" : client?.auth;
  return finish({
    node: call, library, kind: "http", method: args.method ?? literalMethod(read.props.get("method")) ?? (read.open ? undefined : "GET"),
    urlNode: args.url ?? read.props.get("url"), baseUrl: read.props.get("baseURL") ?? client?.baseUrl, headers: allHeaders,
    optionsUnknown: read.open || headers.open || (client?.open ?? false), timeoutUnknown: read.open || (client?.open ?? false), timeout, body: args.data ?? read.props.get("data"),
    retry: retried ? "axios-retry" : client?.retry, auth, optionsIndex: args.configIndex,
  });
}

function fromGotLike(call: CallExpression, library: string, client: ClientConfig | undefined, url: Node | undefined, options: Node | undefined, member?: string): ServiceCall {
  const object = resolveObject(options);
  const read = object ? getObjectProps(object) : { props: new Map<string, Node>(), open: options !== undefined };
  const headers = readHeaders(read.props.get("headers"));
  const timeout = read.props.get("timeout")?.getText() ?? (read.props.get("signal") ? "signal" : undefined) ?? client?.timeout ?? (library === "ky" ? "default (10 s)" : undefined);
  const auth = read.props.has("username") && read.props.has("password") ? "basic" : client?.auth;
  return finish({
    node: call, library, kind: "http", method: member ? member.toUpperCase() : literalMethod(read.props.get("method")) ?? (read.open ? undefined : "GET"),
    urlNode: url, baseUrl: client?.baseUrl, headers: new Map([...(client?.headers ?? []), ...headers.map]),
    optionsUnknown: read.open || headers.open || (client?.open ?? false), timeoutUnknown: read.open || (client?.open ?? false), timeout,
    body: read.props.get("json") ?? read.props.get("body"), retry: read.props.get("retry")?.getText() ?? client?.retry, auth,
  });
}

function literalMethod(node: Node | undefined): string | undefined {
  if (!node) return undefined;
  const inner = unwrap(node);
  return Node.isStringLiteral(inner) || Node.isNoSubstitutionTemplateLiteral(inner) ? inner.getLiteralValue().toUpperCase() : undefined;
}

interface Partial {
  node: Node;
  library: string;
  kind: CallKind;
  method?: string;
  urlNode?: Node;
  baseUrl?: Node;
  headers: Map<string, Node>;
  optionsUnknown: boolean;
  /** Defaults to optionsUnknown. */
  timeoutUnknown?: boolean;
  timeout?: string;
  body?: Node;
  retry?: string;
  auth?: string;
  optionsIndex?: number;
}

function finish(p: Partial): ServiceCall {
  const path = p.urlNode ? renderUrl(p.urlNode) : undefined;
  const base = p.baseUrl ? renderUrl(p.baseUrl) : undefined;
  const endpoint = base && path && !/^https?:\/\//.test(path) ? joinUrl(base, path) : path ?? base;
  const raced = p.node.getAncestors().some((a) => Node.isCallExpression(a) && /\b(race|withTimeout|pTimeout|timeout)\b/i.test(a.getExpression().getText()));
  return {
    node: p.node, line: getStartLine(p.node), library: p.library, kind: p.kind, method: p.method, endpoint, urlNode: p.urlNode,
    name: serviceName(endpoint, p.library), serviceKind: endpoint ? classify(endpoint) : "external",
    auth: p.auth ?? getAuth(p.headers, p.optionsUnknown), timeout: p.timeout ?? (raced ? "race" : undefined),
    optionsUnknown: p.optionsUnknown, timeoutUnknown: p.timeoutUnknown ?? p.optionsUnknown, headers: p.headers, body: p.body, retry: p.retry,
    ...(p.optionsIndex === undefined ? {} : { optionsIndex: p.optionsIndex }),
  };
}

function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, "")}/${path.replace(/^\/+/, "")}`;
}

/** Auth method from request headers. */
export function getAuth(headers: Map<string, Node>, unknown: boolean): string {
  const authorization = headers.get("authorization");
  if (authorization) {
    const text = authorization.getText();
    if (/Bearer/i.test(text)) return "bearer token";
    if (/Basic/i.test(text)) return "basic";
    if (/AWS4-HMAC/i.test(text)) return "signed request (AWS SigV4)";
    return "authorization header";
  }
  for (const name of headers.keys()) {
    if (/^(x-)?api-?key$|^x-api-token$|^apikey$/.test(name)) return "api key header";
    if (/signature|x-hub-signature|hmac/.test(name)) return "signed request (HMAC)";
  }
  return unknown ? "unknown" : "none";
}

/** A URL expression as a pattern: literals kept, expressions as `{name}`, `process.env.X` as `{X}`. */
export function renderUrl(node: Node, depth = 0): string {
  const inner = unwrap(node);
  if (Node.isStringLiteral(inner) || Node.isNoSubstitutionTemplateLiteral(inner)) return inner.getLiteralValue();
  if (Node.isTemplateExpression(inner)) {
    let text = inner.getHead().getLiteralText();
    for (const span of inner.getTemplateSpans()) text += placeholder(span.getExpression(), depth) + span.getLiteral().getLiteralText();
    return text;
  }
  if (Node.isBinaryExpression(inner) && inner.getOperatorToken().getKind() === SyntaxKind.PlusToken) {
    return renderUrl(inner.getLeft(), depth) + renderUrl(inner.getRight(), depth);
  }
  if (Node.isNewExpression(inner) && inner.getExpression().getText() === "URL") {
    const [path, base] = inner.getArguments();
    if (path && base) return joinUrl(renderUrl(base, depth), renderUrl(path, depth));
    if (path) return renderUrl(path, depth);
  }
  if (Node.isPropertyAccessExpression(inner) && inner.getName() === "href") return renderUrl(inner.getExpression(), depth);
  return placeholder(inner, depth);
}

function placeholder(node: Node, depth: number): string {
  const inner = unwrap(node);
  const env = getProcessEnvName(inner);
  if (env) return `{${env}}`;
  if (Node.isBinaryExpression(inner) && /^(\?\?|\|\|)$/.test(inner.getOperatorToken().getText())) return placeholder(inner.getLeft(), depth);
  if (Node.isIdentifier(inner) && depth < 2) {
    const init = resolveConstInitializer(inner);
    if (init && (Node.isStringLiteral(unwrap(init)) || Node.isTemplateExpression(unwrap(init)) || getProcessEnvName(init) || Node.isBinaryExpression(unwrap(init)) || Node.isNoSubstitutionTemplateLiteral(unwrap(init)))) {
      return renderUrl(init, depth + 1);
    }
  }
  if (Node.isPropertyAccessExpression(inner)) return `{${inner.getName()}}`;
  if (Node.isCallExpression(inner)) return `{${inner.getExpression().getText().split(".").pop()}()}`;
  return `{${inner.getText().replace(/\s+/g, " ").slice(0, 40)}}`;
}

const EXTERNAL_ENV = /STRIPE|GITHUB|SLACK|TWILIO|SENDGRID|OPENAI|SHOPIFY|PAYPAL|GOOGLE|AWS|S3_|MAILGUN|HUBSPOT|SALESFORCE|WEBHOOK|CALLBACK/;

/** internal: relative URL, our own env-configured base URL, localhost, `*.internal`, cluster DNS. */
export function classify(endpoint: string): "internal" | "external" {
  if (endpoint.startsWith("/")) return "internal";
  const env = /^\{([A-Z][A-Z0-9_]*)\}/.exec(endpoint);
  if (env) return /(_URL|_HOST|_ENDPOINT|_ADDR|_ADDRESS|_ORIGIN|_BASE)$/.test(env[1]!) && !EXTERNAL_ENV.test(env[1]!) ? "internal" : "external";
  // A base URL from the project's own configuration (`{apiUrl}`, `{getBackendUrl()}`, `{config.baseUrl}`):
  // a service of ours, unless its name says whose it is.
  const configured = /^\{((?:get)?[A-Za-z][A-Za-z0-9]*?(?:Url|URL|Host|Origin|Endpoint|BaseUrl))(?:\(\))?\}/.exec(endpoint);
  if (configured) return EXTERNAL_ENV.test(configured[1]!.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase()) ? "external" : "internal";
  const host = getHost(endpoint);
  if (!host) return "external";
  if (/^(localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\]|host\.docker\.internal)$/.test(host)) return "internal";
  if (/\.(internal|local|svc|cluster\.local|svc\.cluster\.local|consul|lan)$/.test(host) || !host.includes(".") && !host.includes("{")) return "internal";
  if (/^(10|192\.168|172\.(1[6-9]|2\d|3[01]))\./.test(host)) return "internal";
  return "external";
}

export function getHost(endpoint: string): string | undefined {
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/:?#]+)/i.exec(endpoint) ?? /^([a-z0-9-]+(?:\.[a-z0-9-]+)*):\d+/i.exec(endpoint);
  return m?.[1]?.toLowerCase();
}

function serviceName(endpoint: string | undefined, library: string): string {
  if (!endpoint) return `(dynamic URL via ${library})`;
  const host = getHost(endpoint);
  if (host && !host.includes("{")) return host;
  const first = /^\{([^}]+)\}/.exec(endpoint);
  if (first) return first[1]!;
  if (endpoint.startsWith("/")) return "(same origin)";
  return endpoint.slice(0, 60);
}
