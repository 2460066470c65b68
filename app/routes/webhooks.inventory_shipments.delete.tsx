import { intakeAction } from "../services/intake-action.server";

export const action = intakeAction("inventory_shipments/delete");
