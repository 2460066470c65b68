import { describe, expect, it } from "vitest";

import { LOCALES } from "../customer-page/locales";
import { MessageFacts, messageLocale, renderMessage } from "./render";
import { openPassword, sealPassword } from "./smtp.server";
import { TEXTS, type TextKey } from "./texts";

const context = {
  locale: "en" as const,
  shopName: "Oak & Co",
  orderName: "#1001",
  url: "https://oak.myshopify.com/apps/backorders/orders/1?link=1.x",
};
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("the messages' texts", () => {
  it("every locale has every text with the same placeholders as English", () => {
    for (const locale of LOCALES) {
      for (const key of Object.keys(TEXTS.en) as TextKey[]) {
        expect([locale, key, placeholders(TEXTS[locale][key])]).toEqual([locale, key, placeholders(TEXTS.en[key])]);
      }
    }
  });

  it("a checkout's language picks the message's, English for any other", () => {
    expect(["fr-CA", "de", "es-MX", "pt-BR", null, "EN-gb"].map(messageLocale)).toEqual([
      "fr",
      "de",
      "es",
      "en",
      "en",
      "en",
    ]);
  });
});

describe("renderMessage", () => {
  it("the delay notice says what silence means: consent to wait, or a cancellation without a yes", () => {
    const facts = MessageFacts.parse({
      items: [{ title: "Oak stool", quantity: 2 }],
      previousAt: "2026-12-10",
      revisedAt: "2026-12-24",
      silenceIsConsent: true,
    });
    const silent = renderMessage("delay_notice", facts, context);
    expect(silent.subject).toBe("Oak & Co: your order #1001 is delayed");
    expect(silent.text).toBe(
      [
        "We are sorry: these items of your order #1001 will not ship by December 10, 2026 as we said:",
        "- 2 × Oak stool",
        "We now expect to ship them by December 24, 2026.",
        "You can wait for them, or cancel them for a prompt refund of what you paid for them. Use the link below to choose.",
        "If we do not hear from you, we take it that you agree to wait until December 24, 2026.",
        `See your order, wait or cancel: ${context.url}`,
        "--",
        "This message is about your order at Oak & Co; we send it whatever your newsletter choices.",
      ].join("\n\n"),
    );
    const asking = renderMessage(
      "delay_notice",
      { ...facts, silenceIsConsent: false, answerBy: "2026-12-20" },
      context,
    );
    expect(asking.text).toContain(
      "If you want to wait, please tell us by December 20, 2026; without your answer we cancel them and refund you.",
    );
    expect(asking.text).not.toContain("If we do not hear from you");
  });

  it("the renewed notice asks for an explicit yes by its date, in each language", () => {
    const facts = MessageFacts.parse({
      items: [{ title: "Stool", quantity: 1 }],
      revisedAt: "2027-02-01",
      answerBy: "2027-01-15",
    });
    const texts = Object.fromEntries(
      LOCALES.map((locale) => [locale, renderMessage("renewed_notice", facts, { ...context, locale }).text]),
    );
    expect(texts.en).toContain("We keep them for you only if you tell us you will wait");
    expect(texts.en).toContain("Without your answer by January 15, 2027, we cancel them and refund you in full.");
    expect(texts.de).toContain("Ohne Ihre Antwort bis zum 15. Januar 2027 stornieren wir sie");
    expect(texts.es).toContain("Sin tu respuesta antes del 15 de enero de 2027, los cancelamos");
    expect(texts.fr).toContain("Sans réponse de votre part d’ici le 15 janvier 2027, nous les annulons");
  });

  it("cancelled and refunded names the amount in the customer's currency and locale", () => {
    const facts = MessageFacts.parse({
      items: [{ title: "Stool", quantity: 1 }],
      reason: "customer_cancelled",
      refund: { amount: "1234.50", currency: "EUR" },
    });
    expect(renderMessage("cancelled", facts, { ...context, locale: "de" }).text).toContain(
      "Wir haben 1.234,50\u00a0€ erstattet.",
    );
    expect(renderMessage("cancelled", facts, context).text).toContain(
      "You asked us to cancel them.\n\nWe refunded €1,234.50.",
    );
  });

  it("escapes every value in the HTML, the link included", () => {
    const facts = MessageFacts.parse({
      items: [{ title: '<img src=x onerror="alert(1)">', quantity: 1 }],
      promisedAt: "2026-12-10",
    });
    const { html, text } = renderMessage("confirmation", facts, { ...context, url: `${context.url}&a="b"` });
    expect(html).not.toContain("<img");
    expect(html).toContain("&#60;img src=x onerror=&#34;alert(1)&#34;&#62;");
    expect(html).toContain('href="https://oak.myshopify.com/apps/backorders/orders/1?link=1.x&#38;a=&#34;b&#34;"');
    expect(html).toContain("Oak &#38; Co");
    expect(text).toContain('1 × <img src=x onerror="alert(1)">');
  });
});

describe("the shop's SMTP password", () => {
  it("is sealed differently each time, opens with the app's secret only", () => {
    const sealed = sealPassword("secret-a", "hunter2");
    expect(sealed).not.toContain("hunter2");
    expect(sealPassword("secret-a", "hunter2")).not.toBe(sealed);
    expect(openPassword("secret-a", sealed)).toBe("hunter2");
    expect(() => openPassword("secret-b", sealed)).toThrow();
  });
});
