/**
 * Shopify runs graphql-ruby: its validation messages, `path` (the AST path, e.g. ["query GetShop",
 * "shop", "foo"]) and camelCase `extensions.code` differ from graphql-js. This turns graphql-js errors
 * into that shape for the errors apps meet in practice; others keep graphql-js's message.
 */
import {
  Kind,
  print,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type ASTNode,
  type DocumentNode,
  type GraphQLError,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from "graphql";

export interface ShopifyError {
  message: string;
  locations?: { line: number; column: number }[];
  path?: (string | number)[];
  extensions?: Record<string, unknown>;
}

interface NodeInfo {
  path: string[];
  operation: string;
  fieldName?: string;
  argumentName?: string;
  argumentType?: string;
}

function describeNodes(schema: GraphQLSchema, document: DocumentNode, wanted: Set<ASTNode>): Map<ASTNode, NodeInfo> {
  const found = new Map<ASTNode, NodeInfo>();
  const typeInfo = new TypeInfo(schema);
  const path: string[] = [];
  let operation = "query";
  let argument: { name: string; type?: string } | undefined;
  let field: string | undefined;
  const fields: string[] = [];
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      enter(node) {
        switch (node.kind) {
          case Kind.OPERATION_DEFINITION:
            operation = node.name ? `${node.operation} ${node.name.value}` : node.operation;
            path.push(operation);
            break;
          case Kind.FRAGMENT_DEFINITION:
            operation = `fragment ${node.name.value}`;
            path.push(operation);
            break;
          case Kind.FIELD:
            path.push(node.alias?.value ?? node.name.value);
            fields.push(node.name.value);
            field = node.name.value;
            break;
          case Kind.INLINE_FRAGMENT:
            path.push(node.typeCondition ? `... on ${node.typeCondition.name.value}` : "...");
            break;
          case Kind.ARGUMENT:
            path.push(node.name.value);
            argument = { name: node.name.value, type: typeInfo.getArgument()?.type.toString() };
            break;
          case Kind.OBJECT_FIELD:
            path.push(node.name.value);
            break;
        }
        if (wanted.has(node)) {
          found.set(node, {
            path: [...path],
            operation,
            fieldName: fields[fields.length - 1] ?? field,
            argumentName: argument?.name,
            argumentType: argument?.type,
          });
        }
      },
      leave(node) {
        switch (node.kind) {
          case Kind.OPERATION_DEFINITION:
          case Kind.FRAGMENT_DEFINITION:
          case Kind.INLINE_FRAGMENT:
          case Kind.OBJECT_FIELD:
            path.pop();
            break;
          case Kind.FIELD:
            path.pop();
            fields.pop();
            break;
          case Kind.ARGUMENT:
            path.pop();
            argument = undefined;
            break;
        }
      },
    }),
  );
  return found;
}

const VALUE_KINDS = new Set<string>([
  Kind.INT,
  Kind.FLOAT,
  Kind.STRING,
  Kind.BOOLEAN,
  Kind.NULL,
  Kind.ENUM,
  Kind.LIST,
  Kind.OBJECT,
]);

export function shopifyValidationErrors(
  schema: GraphQLSchema,
  document: DocumentNode,
  errors: readonly GraphQLError[],
): ShopifyError[] {
  const wanted = new Set<ASTNode>(errors.flatMap((e) => (e.nodes?.[0] ? [e.nodes[0]] : [])));
  const infos = describeNodes(schema, document, wanted);
  return errors.map((error) => {
    const node = error.nodes?.[0];
    const info = node ? infos.get(node) : undefined;
    const base: ShopifyError = {
      message: error.message,
      ...(error.locations ? { locations: error.locations.map((l) => ({ line: l.line, column: l.column })) } : {}),
      ...(info ? { path: info.path } : {}),
    };
    const m = error.message;
    let match: RegExpExecArray | null;
    if ((match = /^Cannot query field "(\w+)" on type "(\w+)"/.exec(m))) {
      return {
        ...base,
        message: `Field '${match[1]}' doesn't exist on type '${match[2]}'`,
        extensions: { code: "undefinedField", typeName: match[2], fieldName: match[1] },
      };
    }
    if ((match = /^Unknown argument "(\w+)" on field "\w+\.(\w+)"/.exec(m))) {
      return {
        ...base,
        message: `Field '${match[2]}' doesn't accept argument '${match[1]}'`,
        extensions: { code: "argumentNotAccepted", name: match[2], typeName: "Field", argumentName: match[1] },
      };
    }
    if ((match = /^Field "(\w+)" argument "(\w+)" of type ".+" is required, but it was not provided/.exec(m))) {
      return {
        ...base,
        message: `Field '${match[1]}' is missing required arguments: ${match[2]}`,
        extensions: { code: "missingRequiredArguments", className: "Field", name: match[1], arguments: match[2] },
      };
    }
    if ((match = /^Field "(\w+)" of type "(.+)" must have a selection of subfields/.exec(m))) {
      return {
        ...base,
        message: `Field must have selections (field '${match[1]}' returns ${match[2]!.replace(/[[\]!]/g, "")} but has no selections. Did you mean '${match[1]} { ... }'?)`,
        extensions: {
          code: "selectionMismatch",
          nodeName: `field '${match[1]}'`,
          typeName: match[2]!.replace(/[[\]!]/g, ""),
        },
      };
    }
    if ((match = /^Field "(\w+)" must not have a selection since type "(.+)" has no subfields/.exec(m))) {
      const selections =
        node && node.kind === Kind.FIELD
          ? (node.selectionSet?.selections ?? []).map((s) => (s.kind === Kind.FIELD ? s.name.value : "..."))
          : [];
      return {
        ...base,
        message: `Selections can't be made on scalars (field '${match[1]}' returns ${match[2]!.replace(/!/g, "")} but has selections [${selections.map((s) => `"${s}"`).join(", ")}])`,
        extensions: {
          code: "selectionMismatch",
          nodeName: `field '${match[1]}'`,
          typeName: match[2]!.replace(/!/g, ""),
        },
      };
    }
    if ((match = /^Variable "\$(\w+)" is not defined/.exec(m))) {
      return {
        ...base,
        message: `Variable $${match[1]} is used by ${info?.operation === "query" ? "anonymous query" : (info?.operation.split(" ")[1] ?? "anonymous query")} but not declared`,
        extensions: { code: "variableNotDefined", variableName: match[1] },
      };
    }
    if ((match = /^Variable "\$(\w+)" is never used/.exec(m))) {
      return {
        ...base,
        message: `Variable $${match[1]} is declared by ${info?.operation.split(" ")[1] ?? "anonymous query"} but not used`,
        extensions: { code: "variableNotUsed", variableName: match[1] },
      };
    }
    if ((match = /^Variable "\$(\w+)" of type "(.+)" used in position expecting type "(.+)"/.exec(m))) {
      const nullability = match[2]!.replace(/!/g, "") === match[3]!.replace(/!/g, "");
      return {
        ...base,
        message: `${nullability ? "Nullability" : "Type"} mismatch on variable $${match[1]} and argument ${info?.argumentName ?? ""} (${match[2]} / ${match[3]})`,
        extensions: {
          code: "variableMismatch",
          variableName: match[1],
          typeName: match[2],
          argumentName: info?.argumentName,
          errorMessage: `${nullability ? "Nullability" : "Type"} mismatch`,
        },
      };
    }
    if ((match = /^Unknown type "(\w+)"/.exec(m))) {
      return {
        ...base,
        message: `No such type ${match[1]}, so it can't be a fragment condition`,
        extensions: { code: "undefinedType", typeName: match[1] },
      };
    }
    if ((match = /^Unknown directive "@(\w+)"/.exec(m))) {
      return {
        ...base,
        message: `Directive @${match[1]} is not defined`,
        extensions: { code: "undefinedDirective", directiveName: match[1] },
      };
    }
    if ((match = /^Unknown fragment "(\w+)"/.exec(m))) {
      return {
        ...base,
        message: `Fragment ${match[1]} was used, but not defined`,
        extensions: { code: "useAndDefineFragment", fragmentName: match[1] },
      };
    }
    if (node && VALUE_KINDS.has(node.kind) && info?.argumentName) {
      return {
        ...base,
        message: `Argument '${info.argumentName}' on Field '${info.fieldName}' has an invalid value (${print(node)}). Expected type '${info.argumentType}'.`,
        extensions: { code: "argumentLiteralsIncompatible", typeName: "Field", argumentName: info.argumentName },
      };
    }
    return { ...base, extensions: { code: "validationError" } };
  });
}

/** graphql-ruby's answer to unparsable text: `Parse error on "x" (KIND) at [line, column]`. */
export function shopifySyntaxError(error: GraphQLError): ShopifyError {
  const location = error.locations?.[0];
  const token = /found (.+?)\.?$/.exec(error.message)?.[1] ?? "end of file";
  return {
    message: `Parse error on ${token === "<EOF>" ? "end of file" : token} at [${location?.line ?? 1}, ${location?.column ?? 1}]`,
    ...(location ? { locations: [{ line: location.line, column: location.column }] } : {}),
  };
}

/** Variables that do not coerce: Shopify answers INVALID_VARIABLE with the offending value. */
export function shopifyVariableError(
  error: GraphQLError,
  variables: Record<string, unknown>,
  operation: OperationDefinitionNode,
): ShopifyError {
  const name = /^Variable "\$(\w+)"/.exec(error.message)?.[1] ?? "";
  const definition = operation.variableDefinitions?.find((d) => d.variable.name.value === name);
  const explanation = error.message.replace(
    /^Variable "\$\w+" (got invalid value [^;]*; |of required type "[^"]+" )?/,
    "",
  );
  return {
    message: `Variable $${name} of type ${definition ? print(definition.type) : "unknown"} was provided invalid value`,
    ...(error.locations ? { locations: error.locations.map((l) => ({ line: l.line, column: l.column })) } : {}),
    extensions: {
      value: variables[name] ?? null,
      problems: [{ path: [], explanation: explanation.charAt(0).toUpperCase() + explanation.slice(1) }],
      code: "INVALID_VARIABLE",
    },
  };
}
