/**
 * A code as a person types or pastes it, as the server wants it: NFKC turns full-width digits
 * (Chinese input methods) into ASCII, then spaces, dashes and anything else that is not a digit go.
 */
export function digitsOf(code: string): string {
  return code.normalize('NFKC').replace(/\D/g, '');
}
