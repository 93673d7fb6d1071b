// Ballot pages only: enhancements over forms that already work without
// JavaScript. Filled in with the voting pages.
export {};
