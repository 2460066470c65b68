import { BlockStack, Card, Layout } from "@shopify/polaris";
import type { ReactNode } from "react";

import type { FormValues } from "./form-values";

export interface SectionProps {
  values: FormValues;
  set: <K extends keyof FormValues>(key: K) => (value: FormValues[K]) => void;
  error: (field: string) => string | undefined;
}

export function Section({ title, description, children }: { title: string; description: string; children: ReactNode }) {
  return (
    <Layout.AnnotatedSection title={title} description={description}>
      <Card>
        <BlockStack gap="400">{children}</BlockStack>
      </Card>
    </Layout.AnnotatedSection>
  );
}
