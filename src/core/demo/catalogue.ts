/**
 * Word lists the generator draws from: people's names, email domains, products. Kept apart from the logic so
 * the generator files stay readable. Names are common British first and last names; email domains use the
 * reserved `.example` TLD or example.com/net/org, so no generated address belongs to anyone.
 */

// A word list reads better as a block than one name per line.
// prettier-ignore
export const FIRST_NAMES = [
  'Oliver', 'George', 'Harry', 'Noah', 'Jack', 'Leo', 'Arthur', 'Muhammad', 'Oscar', 'Charlie',
  'Jacob', 'Thomas', 'Henry', 'William', 'Alfie', 'Joshua', 'Freddie', 'Archie', 'Ethan', 'Isaac',
  'James', 'Samuel', 'Daniel', 'Logan', 'Lucas', 'Mason', 'Theo', 'Max', 'Adam', 'Ryan',
  'David', 'Michael', 'Paul', 'Mark', 'Andrew', 'Richard', 'Peter', 'Stephen', 'Ian', 'Gareth',
  'Olivia', 'Amelia', 'Isla', 'Ava', 'Mia', 'Ivy', 'Lily', 'Isabella', 'Rosie', 'Sophia',
  'Grace', 'Freya', 'Willow', 'Florence', 'Emily', 'Ella', 'Poppy', 'Evie', 'Elsie', 'Charlotte',
  'Sarah', 'Emma', 'Laura', 'Rachel', 'Claire', 'Helen', 'Karen', 'Susan', 'Joanne', 'Nicola',
  'Priya', 'Aisha', 'Fatima', 'Zara', 'Amara', 'Chloe', 'Hannah', 'Megan', 'Lucy', 'Sian',
  'Aoife', 'Niamh', 'Catriona', 'Eilidh', 'Rhiannon', 'Deepa', 'Anjali', 'Yasmin', 'Maria', 'Ana',
] as const;

// prettier-ignore
export const LAST_NAMES = [
  'Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Johnson', 'Davies', 'Patel', 'Robinson',
  'Wright', 'Thompson', 'Evans', 'Walker', 'White', 'Roberts', 'Green', 'Hall', 'Thomas', 'Clarke',
  'Jackson', 'Wood', 'Harris', 'Edwards', 'Turner', 'Martin', 'Cooper', 'Hill', 'Ward', 'Hughes',
  'Moore', 'Clark', 'King', 'Harrison', 'Lewis', 'Baker', 'Lee', 'Allen', 'Morris', 'Khan',
  'Scott', 'Watson', 'Davis', 'Parker', 'James', 'Bennett', 'Young', 'Phillips', 'Richardson', 'Mitchell',
  'Bailey', 'Carter', 'Cook', 'Singh', 'Shaw', 'Bell', 'Collins', 'Morgan', 'Kelly', 'Begum',
  'Miller', 'Cox', 'Hussain', 'Marshall', 'Simpson', 'Price', 'Anderson', 'Adams', 'Wilkinson', 'Ali',
  'Ahmed', 'Foster', 'Ellis', 'Murphy', 'Chapman', 'Mason', 'Gray', 'Richards', 'Webb', 'Griffiths',
  'Hunt', 'Palmer', 'Campbell', 'Holmes', 'Mills', 'Rogers', 'Barnes', 'Knight', 'Matthews', 'Barker',
  "O'Brien", 'MacDonald', 'Nowak', 'Kowalski', 'Okafor', 'Mensah', 'Chen', 'Wong', 'Rossi', 'Silva',
] as const;

export const EMAIL_DOMAINS = [
  'example.com',
  'example.net',
  'example.org',
  'mail.example',
  'post.example',
  'inbox.example',
] as const;

/** Work addresses some people add as a second email. */
export const WORK_DOMAINS = ['work.example', 'company.example', 'nhs.example', 'council.example'] as const;

/** Product categories with a few products each, for order categories, search queries and review texts. */
export const CATALOGUE = {
  bedding: ['linen duvet cover', 'cotton sheet set', 'feather pillow pair', 'wool throw', 'weighted blanket'],
  furniture: ['oak side table', 'velvet armchair', 'rattan bench', 'walnut bookcase', 'folding desk'],
  lighting: ['ceramic table lamp', 'brass floor lamp', 'rattan pendant shade', 'LED desk lamp'],
  kitchen: ['cast-iron casserole', 'stoneware dinner set', 'copper pan set', 'chef knife', 'glass storage jars'],
  bath: ['waffle towel bundle', 'bamboo bath mat', 'shower curtain', 'marble soap dish'],
  decor: ['jute rug', 'round wall mirror', 'scented candle trio', 'linen cushion cover', 'ceramic vase'],
  garden: ['bistro set', 'solar lanterns', 'terracotta planter', 'outdoor cushions'],
} as const;
export type Category = keyof typeof CATALOGUE;
export const CATEGORIES = Object.keys(CATALOGUE) as Category[];

/** What people type into the shop's search box. */
export const SEARCH_QUERIES = [
  'duvet',
  'king size sheets',
  'table lamp',
  'rug',
  'mirror',
  'casserole dish',
  'towels',
  'armchair',
  'garden furniture',
  'candles',
  'cushions',
  'bookcase',
  'desk',
  'sale',
  'gift card',
  'pillows',
] as const;

/** Agent first names per team member slot, so ticket authors read like people. */
export const AGENT_NAMES = [
  'Amy',
  'Ben',
  'Cara',
  'Dev',
  'Elif',
  'Finn',
  'Gita',
  'Hugo',
  'Iris',
  'Jon',
  'Kemi',
  'Liam',
  'Mo',
  'Nadia',
] as const;
