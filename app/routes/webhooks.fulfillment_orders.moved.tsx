import { intakeAction } from "../services/intake-action.server";

export const action = intakeAction("fulfillment_orders/moved");
