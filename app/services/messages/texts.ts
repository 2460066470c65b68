import { fillPlaceholders, type Locale } from "../customer-page/locales";

/** Every locale has every key (render.test.ts). A paragraph per entry; `{items}` is a list. */
const en = {
  confirmationSubject: "{shop}: items of your order {order} are on backorder",
  confirmationBody: "Thank you for your order {order}. These items are not in stock yet:",
  confirmationDate: "We expect to ship them by {date}. The rest of your order ships as usual.",
  partShippedSubject: "{shop}: part of your order {order} has shipped",
  partShippedBody: "We have sent what was ready of your order {order}. These items follow:",
  partShippedDate: "We expect to ship them by {date}.",
  delaySubject: "{shop}: your order {order} is delayed",
  delayBody: "We are sorry: these items of your order {order} will not ship by {promised} as we said:",
  delayDate: "We now expect to ship them by {revised}.",
  delayChoice:
    "You can wait for them, or cancel them for a prompt refund of what you paid for them. Use the link below to choose.",
  delaySilence: "If we do not hear from you, we take it that you agree to wait until {revised}.",
  delayNoSilence:
    "If you want to wait, please tell us by {answerBy}; without your answer we cancel them and refund you.",
  renewedSubject: "{shop}: your order {order} is delayed again, please answer",
  renewedBody: "These items of your order {order} are delayed again:",
  renewedDate: "We now expect to ship them by {revised}.",
  renewedChoice: "We keep them for you only if you tell us you will wait: choose Wait on the page below.",
  renewedDeadline: "Without your answer by {answerBy}, we cancel them and refund you in full.",
  cancelledSubject: "{shop}: items of your order {order} were cancelled and refunded",
  cancelledBody: "These items of your order {order} were cancelled:",
  cancelledRefund: "We refunded {amount}.",
  cancelledRefundPending: "We refund what you paid for them.",
  reasonDeadline: "They did not arrive in stock in time.",
  reasonCustomer: "You asked us to cancel them.",
  reasonMerchant: "We could not supply them.",
  item: "{quantity} × {title}",
  link: "See your order, wait or cancel: {url}",
  linkView: "See your order: {url}",
  button: "See your order",
  footer: "This message is about your order at {shop}; we send it whatever your newsletter choices.",
};

export type TextKey = keyof typeof en;

const de: Record<TextKey, string> = {
  confirmationSubject: "{shop}: Artikel Ihrer Bestellung {order} werden nachgeliefert",
  confirmationBody: "Vielen Dank für Ihre Bestellung {order}. Diese Artikel sind noch nicht vorrätig:",
  confirmationDate: "Wir rechnen mit dem Versand bis zum {date}. Der Rest Ihrer Bestellung wird wie gewohnt versandt.",
  partShippedSubject: "{shop}: Ein Teil Ihrer Bestellung {order} ist unterwegs",
  partShippedBody: "Wir haben versandt, was von Ihrer Bestellung {order} bereit war. Diese Artikel folgen:",
  partShippedDate: "Wir rechnen mit dem Versand bis zum {date}.",
  delaySubject: "{shop}: Ihre Bestellung {order} verzögert sich",
  delayBody:
    "Es tut uns leid: Diese Artikel Ihrer Bestellung {order} werden nicht wie angekündigt bis zum {promised} versandt:",
  delayDate: "Wir rechnen jetzt mit dem Versand bis zum {revised}.",
  delayChoice:
    "Sie können auf sie warten oder sie stornieren und erhalten den dafür gezahlten Betrag umgehend zurück. Wählen Sie über den Link unten.",
  delaySilence: "Wenn wir nichts von Ihnen hören, gehen wir davon aus, dass Sie bis zum {revised} warten.",
  delayNoSilence:
    "Wenn Sie warten möchten, sagen Sie es uns bitte bis zum {answerBy}; ohne Ihre Antwort stornieren wir sie und erstatten Ihnen den Betrag.",
  renewedSubject: "{shop}: Ihre Bestellung {order} verzögert sich erneut, bitte antworten Sie",
  renewedBody: "Diese Artikel Ihrer Bestellung {order} verzögern sich erneut:",
  renewedDate: "Wir rechnen jetzt mit dem Versand bis zum {revised}.",
  renewedChoice:
    "Wir halten sie nur für Sie bereit, wenn Sie uns sagen, dass Sie warten: Wählen Sie Warten auf der Seite unten.",
  renewedDeadline: "Ohne Ihre Antwort bis zum {answerBy} stornieren wir sie und erstatten Ihnen den vollen Betrag.",
  cancelledSubject: "{shop}: Artikel Ihrer Bestellung {order} wurden storniert und erstattet",
  cancelledBody: "Diese Artikel Ihrer Bestellung {order} wurden storniert:",
  cancelledRefund: "Wir haben {amount} erstattet.",
  cancelledRefundPending: "Wir erstatten Ihnen den dafür gezahlten Betrag.",
  reasonDeadline: "Sie sind nicht rechtzeitig eingetroffen.",
  reasonCustomer: "Sie haben uns gebeten, sie zu stornieren.",
  reasonMerchant: "Wir konnten sie nicht liefern.",
  item: "{quantity} × {title}",
  link: "Ihre Bestellung ansehen, warten oder stornieren: {url}",
  linkView: "Ihre Bestellung ansehen: {url}",
  button: "Bestellung ansehen",
  footer:
    "Diese Nachricht betrifft Ihre Bestellung bei {shop}; wir senden sie unabhängig von Ihren Newsletter-Einstellungen.",
};

const es: Record<TextKey, string> = {
  confirmationSubject: "{shop}: artículos de tu pedido {order} están pendientes de stock",
  confirmationBody: "Gracias por tu pedido {order}. Estos artículos aún no están en stock:",
  confirmationDate: "Esperamos enviarlos antes del {date}. El resto de tu pedido se envía como siempre.",
  partShippedSubject: "{shop}: parte de tu pedido {order} ya está en camino",
  partShippedBody: "Hemos enviado lo que estaba listo de tu pedido {order}. Estos artículos llegarán después:",
  partShippedDate: "Esperamos enviarlos antes del {date}.",
  delaySubject: "{shop}: tu pedido {order} se retrasa",
  delayBody: "Lo sentimos: estos artículos de tu pedido {order} no se enviarán antes del {promised} como dijimos:",
  delayDate: "Ahora esperamos enviarlos antes del {revised}.",
  delayChoice:
    "Puedes esperarlos o cancelarlos y recibir sin demora el reembolso de lo que pagaste por ellos. Elige con el enlace de abajo.",
  delaySilence: "Si no sabemos nada de ti, entendemos que aceptas esperar hasta el {revised}.",
  delayNoSilence:
    "Si quieres esperar, dínoslo antes del {answerBy}; sin tu respuesta los cancelamos y te reembolsamos.",
  renewedSubject: "{shop}: tu pedido {order} se retrasa de nuevo, responde por favor",
  renewedBody: "Estos artículos de tu pedido {order} se retrasan de nuevo:",
  renewedDate: "Ahora esperamos enviarlos antes del {revised}.",
  renewedChoice: "Solo los guardamos para ti si nos dices que esperarás: elige Esperar en la página de abajo.",
  renewedDeadline: "Sin tu respuesta antes del {answerBy}, los cancelamos y te reembolsamos todo.",
  cancelledSubject: "{shop}: artículos de tu pedido {order} se cancelaron y reembolsaron",
  cancelledBody: "Estos artículos de tu pedido {order} se cancelaron:",
  cancelledRefund: "Te hemos reembolsado {amount}.",
  cancelledRefundPending: "Te reembolsamos lo que pagaste por ellos.",
  reasonDeadline: "No llegaron a tiempo.",
  reasonCustomer: "Nos pediste cancelarlos.",
  reasonMerchant: "No pudimos suministrarlos.",
  item: "{quantity} × {title}",
  link: "Ver tu pedido, esperar o cancelar: {url}",
  linkView: "Ver tu pedido: {url}",
  button: "Ver tu pedido",
  footer: "Este mensaje trata de tu pedido en {shop}; lo enviamos sean cuales sean tus preferencias de boletín.",
};

const fr: Record<TextKey, string> = {
  confirmationSubject: "{shop} : des articles de votre commande {order} sont en réapprovisionnement",
  confirmationBody: "Merci pour votre commande {order}. Ces articles ne sont pas encore en stock :",
  confirmationDate: "Nous prévoyons de les expédier d’ici le {date}. Le reste de votre commande part comme d’habitude.",
  partShippedSubject: "{shop} : une partie de votre commande {order} est expédiée",
  partShippedBody: "Nous avons expédié ce qui était prêt de votre commande {order}. Ces articles suivront :",
  partShippedDate: "Nous prévoyons de les expédier d’ici le {date}.",
  delaySubject: "{shop} : votre commande {order} est retardée",
  delayBody:
    "Nous sommes désolés : ces articles de votre commande {order} ne seront pas expédiés d’ici le {promised} comme annoncé :",
  delayDate: "Nous prévoyons maintenant de les expédier d’ici le {revised}.",
  delayChoice:
    "Vous pouvez les attendre, ou les annuler et être remboursé sans délai de ce que vous avez payé pour eux. Choisissez avec le lien ci-dessous.",
  delaySilence: "Sans nouvelles de votre part, nous considérons que vous acceptez d’attendre jusqu’au {revised}.",
  delayNoSilence:
    "Si vous souhaitez attendre, dites-le-nous d’ici le {answerBy} ; sans réponse, nous les annulons et vous remboursons.",
  renewedSubject: "{shop} : votre commande {order} est de nouveau retardée, merci de répondre",
  renewedBody: "Ces articles de votre commande {order} sont de nouveau retardés :",
  renewedDate: "Nous prévoyons maintenant de les expédier d’ici le {revised}.",
  renewedChoice:
    "Nous ne les gardons pour vous que si vous nous dites que vous attendez : choisissez Attendre sur la page ci-dessous.",
  renewedDeadline: "Sans réponse de votre part d’ici le {answerBy}, nous les annulons et vous remboursons entièrement.",
  cancelledSubject: "{shop} : des articles de votre commande {order} ont été annulés et remboursés",
  cancelledBody: "Ces articles de votre commande {order} ont été annulés :",
  cancelledRefund: "Nous vous avons remboursé {amount}.",
  cancelledRefundPending: "Nous vous remboursons ce que vous avez payé pour eux.",
  reasonDeadline: "Ils ne sont pas arrivés en stock à temps.",
  reasonCustomer: "Vous nous avez demandé de les annuler.",
  reasonMerchant: "Nous n’avons pas pu les fournir.",
  item: "{quantity} × {title}",
  link: "Voir votre commande, attendre ou annuler : {url}",
  linkView: "Voir votre commande : {url}",
  button: "Voir votre commande",
  footer:
    "Ce message concerne votre commande chez {shop} ; nous l’envoyons quels que soient vos choix de lettre d’information.",
};

export const TEXTS: Record<Locale, Record<TextKey, string>> = { en, de, es, fr };

export function messageText(locale: Locale, key: TextKey, values: Record<string, string | number> = {}): string {
  return fillPlaceholders(TEXTS[locale][key], values);
}
