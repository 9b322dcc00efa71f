// Every error answer of the REST API has this body (docs/API.md): a machine-readable code and a
// sentence for a person.
export interface ErrorBody {
  error: string;
  message: string;
}
