// Strings by key: IDX i18n keys (so server messages localise, as in Okta's widget) and the widget's own.
// English, French and German ship in the bundle; `i18n` in the config overrides any key per language.

export type Dictionary = Record<string, string>;

const en: Dictionary = {
  'primaryauth.title': 'Sign In',
  'oie.password.challenge.title': 'Verify with your password',
  'identifier': 'Username',
  'passcode': 'Password',
  'sensitive.input.show': 'Show password',
  'sensitive.input.hide': 'Hide password',
  'rememberMe': 'Keep me signed in',
  'oform.next': 'Next',
  'oform.verify': 'Verify',
  'oform.signin': 'Sign in',
  'oform.cancel': 'Cancel',
  'goback': 'Back to sign in',
  'loading': 'Loading…',
  'errors.E0000004': 'Unable to sign in',
  'errors.E0000047': 'You exceeded the maximum number of requests. Try again in a while.',
  'idx.session.expired': 'You have been logged out due to inactivity. Refresh or return to the sign in screen.',
  'model.validation.field.blank': 'This field cannot be left blank',
  'model.validation.field.invalid': 'This field has an invalid value',
  'idx.error.step.not.available': 'This step is not available. Start the sign-in again.',
  'idx.transaction.cancelled': 'The sign-in was cancelled.',
  'error.config': 'There was a configuration error.',
  'error.network': 'Cannot reach the sign-in service. Check your connection and try again.',
  'error.unexpected': 'Something went wrong. Try again.',
  'error.fields': 'Correct the highlighted fields.',
  'redirect.cancelled': 'The user cancelled the sign-in.',
  'redirect.expired': 'The sign-in session expired.',
};

const fr: Dictionary = {
  'primaryauth.title': 'Connexion',
  'oie.password.challenge.title': 'Vérifiez avec votre mot de passe',
  'identifier': "Nom d'utilisateur",
  'passcode': 'Mot de passe',
  'sensitive.input.show': 'Afficher le mot de passe',
  'sensitive.input.hide': 'Masquer le mot de passe',
  'rememberMe': 'Rester connecté',
  'oform.next': 'Suivant',
  'oform.verify': 'Vérifier',
  'oform.signin': 'Se connecter',
  'oform.cancel': 'Annuler',
  'goback': 'Retour à la connexion',
  'loading': 'Chargement…',
  'errors.E0000004': 'Connexion impossible',
  'errors.E0000047': 'Vous avez dépassé le nombre maximal de requêtes. Réessayez dans un moment.',
  'idx.session.expired': 'Vous avez été déconnecté pour cause d’inactivité. Actualisez ou revenez à l’écran de connexion.',
  'model.validation.field.blank': 'Ce champ ne peut pas être vide',
  'model.validation.field.invalid': 'Ce champ contient une valeur incorrecte',
  'idx.error.step.not.available': 'Cette étape n’est pas disponible. Recommencez la connexion.',
  'idx.transaction.cancelled': 'La connexion a été annulée.',
  'error.config': 'Erreur de configuration.',
  'error.network': 'Le service de connexion est injoignable. Vérifiez votre connexion et réessayez.',
  'error.unexpected': 'Une erreur est survenue. Réessayez.',
  'error.fields': 'Corrigez les champs signalés.',
  'redirect.cancelled': "L'utilisateur a annulé la connexion.",
  'redirect.expired': 'La session de connexion a expiré.',
};

const de: Dictionary = {
  'primaryauth.title': 'Anmelden',
  'oie.password.challenge.title': 'Mit Ihrem Passwort bestätigen',
  'identifier': 'Benutzername',
  'passcode': 'Passwort',
  'sensitive.input.show': 'Passwort anzeigen',
  'sensitive.input.hide': 'Passwort verbergen',
  'rememberMe': 'Angemeldet bleiben',
  'oform.next': 'Weiter',
  'oform.verify': 'Bestätigen',
  'oform.signin': 'Anmelden',
  'oform.cancel': 'Abbrechen',
  'goback': 'Zurück zur Anmeldung',
  'loading': 'Wird geladen…',
  'errors.E0000004': 'Anmeldung nicht möglich',
  'errors.E0000047': 'Sie haben die maximale Anzahl von Anfragen überschritten. Versuchen Sie es später erneut.',
  'idx.session.expired': 'Sie wurden wegen Inaktivität abgemeldet. Aktualisieren Sie die Seite oder kehren Sie zur Anmeldung zurück.',
  'model.validation.field.blank': 'Dieses Feld darf nicht leer sein',
  'model.validation.field.invalid': 'Dieses Feld enthält einen ungültigen Wert',
  'idx.error.step.not.available': 'Dieser Schritt ist nicht verfügbar. Beginnen Sie die Anmeldung neu.',
  'idx.transaction.cancelled': 'Die Anmeldung wurde abgebrochen.',
  'error.config': 'Es liegt ein Konfigurationsfehler vor.',
  'error.network': 'Der Anmeldedienst ist nicht erreichbar. Prüfen Sie Ihre Verbindung und versuchen Sie es erneut.',
  'error.unexpected': 'Etwas ist schiefgegangen. Versuchen Sie es erneut.',
  'error.fields': 'Korrigieren Sie die markierten Felder.',
  'redirect.cancelled': 'Der Benutzer hat die Anmeldung abgebrochen.',
  'redirect.expired': 'Die Anmeldesitzung ist abgelaufen.',
};

export const LANGUAGES: Record<string, Dictionary> = { en, fr, de };

export type Translate = (key: string, fallback?: string) => string;

/** Picks the language (config, then the page's <html lang>, then English) and applies overrides. */
export function translator(language: string | undefined, overrides: Record<string, Dictionary> = {}): { lang: string; t: Translate } {
  const wanted = (language || document.documentElement.lang || 'en').toLowerCase().split(/[-_]/)[0]!;
  const lang = LANGUAGES[wanted] ? wanted : 'en';
  const dict: Dictionary = { ...en, ...LANGUAGES[lang], ...(overrides.en && lang === 'en' ? overrides.en : {}), ...(overrides[lang] ?? {}) };
  return { lang, t: (key, fallback) => dict[key] ?? fallback ?? key };
}
