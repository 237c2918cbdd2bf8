/**
 * ISO 4217 currency codes Kept accepts: every code on the standard's current list (List One, including fund codes
 * such as CHE and the X-codes for gold, special drawing rights and "no currency"), and the codes withdrawn since
 * 2007, because order histories reach back further than a currency's life (HRK before the euro, VEF before VES).
 * A fixed list rather than `Intl.supportedValuesOf('currency')`: that one depends on the ICU build Node carries and
 * lacks fund and X-codes, and validation must give the same answer on every machine.
 */
const CURRENT = [
  'AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV BRL BSD BTN BWP BYN BZD CAD CDF',
  'CHE CHF CHW CLF CLP CNY COP COU CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD',
  'GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR',
  'LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK',
  'PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS TMT',
  'TND TOP TRY TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED VES VND VUV WST XAF XAG XAU XBA XBB XBC XBD XCD XCG',
  'XDR XOF XPD XPF XPT XSU XTS XUA XXX YER ZAR ZMW ZWG ZWL',
];
/** Withdrawn since 2007 (the year on the right is when). */
const WITHDRAWN = [
  'CSD', // 2006–2007, Serbian dinar before RSD
  'CYP MTL SIT SKK', // 2007–2009, before the euro
  'EEK LTL LVL HRK', // 2011–2023, before the euro
  'GHC TMM ZWD ZWN ZWR MZM', // 2007–2009, redenominated
  'BYR MRO STD VEF ZMK', // 2013–2018, redenominated
];

const CODES: ReadonlySet<string> = new Set([...CURRENT, ...WITHDRAWN].flatMap((line) => line.split(' ')));

/** Whether `code` (any case) is an ISO 4217 code Kept accepts. */
export function isCurrencyCode(code: string): boolean {
  return code.length === 3 && CODES.has(code.toUpperCase());
}
