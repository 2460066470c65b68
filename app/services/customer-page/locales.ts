/** Every locale has every key (customer-page.test.ts). */
export const LOCALES = ["en", "de", "es", "fr"] as const;
export type Locale = (typeof LOCALES)[number];

const en = {
  title: "Your backorders",
  intro: "Items of your orders that are waiting for stock, and what you can do about them.",
  noOrders: "None of your orders is waiting for stock.",
  loginPrompt: "Log in to see your orders, or open the link in your order email.",
  login: "Log in",
  orderHeading: "Order {name}",
  orderLink: "Order {name}: {waiting} waiting",
  caption: "Items of order {name}",
  item: "Item",
  ordered: "Ordered",
  shipped: "Shipped",
  ready: "Ready to ship",
  waiting: "Waiting",
  cancelled: "Cancelled",
  expected: "Expected by",
  deadline: "Refunded if not shipped by",
  none: "—",
  consented: "You agreed to wait until {date}.",
  cancelling: "We are cancelling the items still waiting and refunding you.",
  cancelledByYou: "The items that were waiting were cancelled at your request and refunded.",
  replyBy:
    "Please tell us by {date} whether you can wait: if we do not hear from you, we cancel the items still waiting and refund them.",
  cancelledNoReply:
    "We did not hear from you in time about the later date, so the items that were waiting were cancelled and refunded.",
  shipping: "What is ready is on its way to fulfilment.",
  waitHeading: "Wait for the rest",
  waitText: "If you can wait, tell us, and we keep your order open until {date}.",
  waitButton: "I will wait until {date}",
  cancelHeading: "Cancel what is still waiting",
  cancelText: "Items already shipped or ready to ship stay on your order.",
  cancelReview: "Review the cancellation",
  confirmHeading: "Cancel what is still waiting?",
  confirmItem: "{quantity} × {title}",
  refund: "You will be refunded {amount}.",
  refundShipping: "You will be refunded {amount}, shipping included.",
  confirmButton: "Cancel and refund",
  keep: "Keep my order",
  shipHeading: "Ship what is ready",
  shipText: "{ready} of your items are ready. We can send them now and the rest when it arrives.",
  shipButton: "Ship what is ready now",
  doneWait: "Thank you: we recorded that you will wait until {date}.",
  doneCancel: "Your cancellation is on its way; the refund follows.",
  doneShip: "We are sending what is ready.",
  notFoundHeading: "Page not found",
  notFound: "We could not find this page.",
  refusedHeading: "This form can no longer be used",
  refused: "It was already sent, it expired, or your order changed since. Here is where your order stands now.",
  back: "Back to your order",
};

export type MessageKey = keyof typeof en;

const de: Record<MessageKey, string> = {
  title: "Ihre Nachlieferungen",
  intro: "Artikel Ihrer Bestellungen, die auf Ware warten, und was Sie tun können.",
  noOrders: "Keine Ihrer Bestellungen wartet auf Ware.",
  loginPrompt: "Melden Sie sich an, um Ihre Bestellungen zu sehen, oder öffnen Sie den Link aus Ihrer Bestell-E-Mail.",
  login: "Anmelden",
  orderHeading: "Bestellung {name}",
  orderLink: "Bestellung {name}: {waiting} wartend",
  caption: "Artikel der Bestellung {name}",
  item: "Artikel",
  ordered: "Bestellt",
  shipped: "Versandt",
  ready: "Versandbereit",
  waiting: "Wartend",
  cancelled: "Storniert",
  expected: "Erwartet bis",
  deadline: "Erstattet, falls nicht versandt bis",
  none: "—",
  consented: "Sie haben zugestimmt, bis zum {date} zu warten.",
  cancelling: "Wir stornieren die noch wartenden Artikel und erstatten Ihnen den Betrag.",
  cancelledByYou: "Die wartenden Artikel wurden auf Ihren Wunsch storniert und erstattet.",
  replyBy:
    "Bitte sagen Sie uns bis zum {date}, ob Sie warten können: Ohne Ihre Antwort stornieren wir die noch wartenden Artikel und erstatten sie.",
  cancelledNoReply:
    "Wir haben zum späteren Termin nicht rechtzeitig von Ihnen gehört. Die wartenden Artikel wurden daher storniert und erstattet.",
  shipping: "Was bereit ist, geht in den Versand.",
  waitHeading: "Auf den Rest warten",
  waitText: "Wenn Sie warten können, sagen Sie es uns, und wir halten Ihre Bestellung bis zum {date} offen.",
  waitButton: "Ich warte bis zum {date}",
  cancelHeading: "Stornieren, was noch wartet",
  cancelText: "Bereits versandte oder versandbereite Artikel bleiben in Ihrer Bestellung.",
  cancelReview: "Stornierung prüfen",
  confirmHeading: "Stornieren, was noch wartet?",
  confirmItem: "{quantity} × {title}",
  refund: "Sie erhalten {amount} zurück.",
  refundShipping: "Sie erhalten {amount} zurück, Versand inbegriffen.",
  confirmButton: "Stornieren und erstatten",
  keep: "Bestellung behalten",
  shipHeading: "Versenden, was bereit ist",
  shipText: "{ready} Ihrer Artikel sind bereit. Wir können sie jetzt senden und den Rest, sobald er eintrifft.",
  shipButton: "Jetzt versenden, was bereit ist",
  doneWait: "Danke: Wir haben vermerkt, dass Sie bis zum {date} warten.",
  doneCancel: "Ihre Stornierung ist unterwegs; die Erstattung folgt.",
  doneShip: "Wir versenden, was bereit ist.",
  notFoundHeading: "Seite nicht gefunden",
  notFound: "Diese Seite konnten wir nicht finden.",
  refusedHeading: "Dieses Formular kann nicht mehr verwendet werden",
  refused:
    "Es wurde bereits gesendet, ist abgelaufen, oder Ihre Bestellung hat sich seitdem geändert. So steht Ihre Bestellung jetzt.",
  back: "Zurück zu Ihrer Bestellung",
};

const es: Record<MessageKey, string> = {
  title: "Tus pedidos pendientes",
  intro: "Artículos de tus pedidos que esperan existencias, y lo que puedes hacer.",
  noOrders: "Ninguno de tus pedidos está esperando existencias.",
  loginPrompt: "Inicia sesión para ver tus pedidos, o abre el enlace del correo de tu pedido.",
  login: "Iniciar sesión",
  orderHeading: "Pedido {name}",
  orderLink: "Pedido {name}: {waiting} en espera",
  caption: "Artículos del pedido {name}",
  item: "Artículo",
  ordered: "Pedidos",
  shipped: "Enviados",
  ready: "Listos para enviar",
  waiting: "En espera",
  cancelled: "Cancelados",
  expected: "Previsto para",
  deadline: "Reembolsado si no se envía antes del",
  none: "—",
  consented: "Aceptaste esperar hasta el {date}.",
  cancelling: "Estamos cancelando los artículos que siguen en espera y reembolsándote.",
  cancelledByYou: "Los artículos en espera se cancelaron a petición tuya y se reembolsaron.",
  replyBy:
    "Dinos antes del {date} si puedes esperar: si no recibimos tu respuesta, cancelaremos los artículos aún en espera y te los reembolsaremos.",
  cancelledNoReply:
    "No recibimos tu respuesta a tiempo sobre la nueva fecha, así que los artículos en espera se cancelaron y se reembolsaron.",
  shipping: "Lo que está listo va camino del envío.",
  waitHeading: "Esperar el resto",
  waitText: "Si puedes esperar, dínoslo y mantendremos tu pedido abierto hasta el {date}.",
  waitButton: "Esperaré hasta el {date}",
  cancelHeading: "Cancelar lo que sigue en espera",
  cancelText: "Los artículos ya enviados o listos para enviar siguen en tu pedido.",
  cancelReview: "Revisar la cancelación",
  confirmHeading: "¿Cancelar lo que sigue en espera?",
  confirmItem: "{quantity} × {title}",
  refund: "Te reembolsaremos {amount}.",
  refundShipping: "Te reembolsaremos {amount}, envío incluido.",
  confirmButton: "Cancelar y reembolsar",
  keep: "Mantener mi pedido",
  shipHeading: "Enviar lo que está listo",
  shipText: "{ready} de tus artículos están listos. Podemos enviarlos ahora y el resto cuando llegue.",
  shipButton: "Enviar ahora lo que está listo",
  doneWait: "Gracias: hemos registrado que esperarás hasta el {date}.",
  doneCancel: "Tu cancelación está en curso; el reembolso llegará después.",
  doneShip: "Estamos enviando lo que está listo.",
  notFoundHeading: "Página no encontrada",
  notFound: "No hemos encontrado esta página.",
  refusedHeading: "Este formulario ya no se puede usar",
  refused: "Ya se envió, caducó o tu pedido ha cambiado desde entonces. Así está tu pedido ahora.",
  back: "Volver a tu pedido",
};

const fr: Record<MessageKey, string> = {
  title: "Vos articles en attente",
  intro: "Les articles de vos commandes qui attendent du stock, et ce que vous pouvez faire.",
  noOrders: "Aucune de vos commandes n’attend de stock.",
  loginPrompt: "Connectez-vous pour voir vos commandes, ou ouvrez le lien de l’e-mail de votre commande.",
  login: "Se connecter",
  orderHeading: "Commande {name}",
  orderLink: "Commande {name} : {waiting} en attente",
  caption: "Articles de la commande {name}",
  item: "Article",
  ordered: "Commandés",
  shipped: "Expédiés",
  ready: "Prêts à expédier",
  waiting: "En attente",
  cancelled: "Annulés",
  expected: "Prévu pour le",
  deadline: "Remboursé s’il n’est pas expédié avant le",
  none: "—",
  consented: "Vous avez accepté d’attendre jusqu’au {date}.",
  cancelling: "Nous annulons les articles encore en attente et vous remboursons.",
  cancelledByYou: "Les articles en attente ont été annulés à votre demande et remboursés.",
  replyBy:
    "Dites-nous d’ici le {date} si vous pouvez attendre : sans réponse de votre part, nous annulons les articles encore en attente et vous les remboursons.",
  cancelledNoReply:
    "Faute de réponse de votre part à temps sur la nouvelle date, les articles en attente ont été annulés et remboursés.",
  shipping: "Ce qui est prêt part en préparation.",
  waitHeading: "Attendre le reste",
  waitText: "Si vous pouvez attendre, dites-le-nous : nous gardons votre commande ouverte jusqu’au {date}.",
  waitButton: "J’attendrai jusqu’au {date}",
  cancelHeading: "Annuler ce qui est encore en attente",
  cancelText: "Les articles déjà expédiés ou prêts à expédier restent dans votre commande.",
  cancelReview: "Vérifier l’annulation",
  confirmHeading: "Annuler ce qui est encore en attente ?",
  confirmItem: "{quantity} × {title}",
  refund: "Vous serez remboursé de {amount}.",
  refundShipping: "Vous serez remboursé de {amount}, livraison comprise.",
  confirmButton: "Annuler et rembourser",
  keep: "Garder ma commande",
  shipHeading: "Expédier ce qui est prêt",
  shipText: "{ready} de vos articles sont prêts. Nous pouvons les envoyer maintenant, et le reste à son arrivée.",
  shipButton: "Expédier maintenant ce qui est prêt",
  doneWait: "Merci : nous avons noté que vous attendrez jusqu’au {date}.",
  doneCancel: "Votre annulation est en cours ; le remboursement suivra.",
  doneShip: "Nous envoyons ce qui est prêt.",
  notFoundHeading: "Page introuvable",
  notFound: "Nous n’avons pas trouvé cette page.",
  refusedHeading: "Ce formulaire ne peut plus être utilisé",
  refused: "Il a déjà été envoyé, il a expiré, ou votre commande a changé depuis. Voici où en est votre commande.",
  back: "Retour à votre commande",
};

export const MESSAGES: Record<Locale, Record<MessageKey, string>> = { en, de, es, fr };

/** A text's `{name}` placeholders filled with plain values (the renderer escapes the result). */
export function fillPlaceholders(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

export function text(locale: Locale, key: MessageKey, values: Record<string, string | number> = {}): string {
  return fillPlaceholders(MESSAGES[locale][key], values);
}

/** Dates are UTC days, as the app stores them. */
export function formatDay(locale: Locale, date: Date): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone: "UTC" }).format(date);
}

export function formatMoney(locale: Locale, amount: string, currency: string): string {
  return new Intl.NumberFormat(locale, { style: "currency", currency }).format(Number(amount));
}
