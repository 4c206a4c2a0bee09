/** Errors-plugin options for a mutation whose payload carries one object under `name`. */
export const payload = (name: string, description: string) => ({ dataField: { name, description } })
