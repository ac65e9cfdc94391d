-- Rules-based flag kept in the warehouse; no model code in this repository.
SELECT customer_id, tenure < 3 AND monthly_charges > 90 AS at_risk
FROM customers;
