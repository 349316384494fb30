//! Building blocks every view shares: sortable tables, cards and charts.
