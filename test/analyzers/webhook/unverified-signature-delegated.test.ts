// Verification that lives in an injected service (NestJS) or in a receiver built in another module
// (QStash): the rule reads the code it delegates to instead of guessing from names.
import rule from "../../../src/analyzers/webhook/unverified-signature.js";
import { testRule } from "../../helpers/rule-tester.js";

const NEST_TREE = {
  "tsconfig.base.json": JSON.stringify({ compilerOptions: { baseUrl: ".", paths: { "@acme/nest-libs/*": ["libraries/nest-libs/src/*"] } } }),
  "apps/backend/tsconfig.json": JSON.stringify({ extends: "../../tsconfig.base.json" }),
  "libraries/nest-libs/src/services/partner.service.ts": `import { HttpException, Injectable } from "@nestjs/common";
import crypto from "crypto";
@Injectable()
export class PartnerService {
  validateSignature(rawBody: Buffer, timestamp: string, signature: string) {
    const expected = crypto.createHmac("sha256", process.env.PARTNER_KEY!).update(timestamp + rawBody.toString()).digest("hex");
    if (!crypto.timingSafeEqual(Buffer.from(signature), Buffer.from(expected))) throw new HttpException("Invalid signature", 401);
  }
  checkSignature(rawBody: Buffer) {
    return JSON.parse(rawBody.toString()).type !== undefined;
  }
  handleWebhook(payload: unknown) {
    return payload;
  }
}`,
};

const nestController = (method: string) => `import { Controller, HttpException, Post, RawBodyRequest, Req } from "@nestjs/common";
import { PartnerService } from "@acme/nest-libs/services/partner.service";

@Controller("/partner")
export class PartnerController {
  constructor(private readonly _partnerService: PartnerService) {}

  @Post("/webhook")
  async webhook(@Req() req: RawBodyRequest<Request>) {
    const signature = (req.headers as any)["x-partner-signature"] as string;
    if (!signature) throw new HttpException("Missing signature", 401);
    this._partnerService.${method}(req.rawBody!, "t", signature);
    return this._partnerService.handleWebhook(JSON.parse(req.rawBody!.toString()));
  }
}`;

const QSTASH_TREE = {
  "tsconfig.json": JSON.stringify({ compilerOptions: { baseUrl: ".", paths: { "@/*": ["./*"] } } }),
  "lib/cron/index.ts": `import { Receiver } from "@upstash/qstash";
export const receiver = new Receiver({
  currentSigningKey: process.env.QSTASH_CURRENT_SIGNING_KEY ?? "",
  nextSigningKey: process.env.QSTASH_NEXT_SIGNING_KEY ?? "",
});`,
  "lib/tinybird/publish.ts": `export async function recordWebhookEvent(event: unknown) { return event; }`,
};

testRule(rule, {
  valid: [
    {
      name: "NestJS controller: an injected service (monorepo alias) checks an HMAC with timingSafeEqual",
      filename: "apps/backend/src/api/routes/partner.controller.ts",
      code: nestController("validateSignature"),
      tree: NEST_TREE,
    },
    {
      name: "NestJS controller: the injected service cannot be read (a library), named like verification: cannot tell",
      filename: "apps/backend/src/api/routes/partner.controller.ts",
      code: `import { Controller, Post, Req } from "@nestjs/common";
import { SignatureService } from "@vendor/signatures";

@Controller("/hooks")
export class HooksController {
  constructor(private readonly signatures: SignatureService) {}

  @Post("/webhook")
  async webhook(@Req() req: any) {
    await this.signatures.verifySignature(req.rawBody, req.headers["x-signature"]);
    return { ok: true };
  }
}`,
    },
    {
      name: "Next.js app route: QStash callback verified with a Receiver built in another module",
      filename: "app/api/webhooks/callback/route.ts",
      code: `import { receiver } from "@/lib/cron";
import { recordWebhookEvent } from "@/lib/tinybird/publish";

export const POST = async (req: Request) => {
  const rawBody = await req.json();
  const isValid = await receiver.verify({
    signature: req.headers.get("Upstash-Signature") || "",
    body: JSON.stringify(rawBody),
  });
  if (!isValid) return new Response("Unauthorized", { status: 401 });
  await recordWebhookEvent(rawBody);
  return new Response("OK");
};`,
      tree: QSTASH_TREE,
    },
  ],
  invalid: [
    {
      name: "NestJS controller: the injected method named like a check only parses the body",
      filename: "apps/backend/src/api/routes/partner.controller.ts",
      code: nestController("checkSignature"),
      tree: NEST_TREE,
      findings: [{ messageId: "unverified", line: 8 }],
    },
    {
      name: "Next.js app route: QStash callback that never calls the receiver",
      filename: "app/api/webhooks/callback/route.ts",
      code: `import { recordWebhookEvent } from "@/lib/tinybird/publish";

export const POST = async (req: Request) => {
  const rawBody = await req.json();
  await recordWebhookEvent(rawBody);
  return new Response("OK");
};`,
      tree: QSTASH_TREE,
      findings: [{ messageId: "unverified", line: 3 }],
    },
  ],
});
