import { Field, SingleSelect, SingleSelectOption } from '@strapi/design-system';

interface Props<V extends string> {
  name: string;
  label: string;
  value: V | '';
  /** A value, or a value and its label. */
  options: ReadonlyArray<V | readonly [V, string]>;
  placeholder?: string;
  disabled?: boolean;
  onChange: (value: V) => void;
}

/** A labelled small select, the designer panels' one way to pick from a list. */
export const SelectField = <V extends string>({ name, label, value, options, placeholder, disabled, onChange }: Props<V>) => (
  <Field.Root name={name}>
    <Field.Label>{label}</Field.Label>
    <SingleSelect
      size="S"
      value={value}
      placeholder={placeholder}
      disabled={disabled}
      // The select only offers the values listed in `options`.
      onChange={(v: string | number) => onChange(String(v) as V)}
    >
      {options.map((option) => {
        const [v, text] = typeof option === 'string' ? [option, option] : option;
        return (
          <SingleSelectOption key={v} value={v}>
            {text}
          </SingleSelectOption>
        );
      })}
    </SingleSelect>
  </Field.Root>
);
