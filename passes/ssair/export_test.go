package ssair

func (ir *IR) IsBuilt() bool { return ir.pkg != nil }
