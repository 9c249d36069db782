import TensorModule

extension SafeTensorsFile {
    /// A file holding the current values of `parameters` under their names.
    package init<Scalar: TensorScalar>(parameters: [Parameter<Scalar>], metadata: [String: String] = [:]) {
        var tensors: [String: StoredTensor] = [:]
        for parameter in parameters { tensors[parameter.name] = StoredTensor(parameter.value) }
        self.init(tensors: tensors, metadata: metadata)
    }

    /// Assigns each parameter the stored tensor of the same name; checks every parameter
    /// before assigning any, so a failed load changes nothing.
    /// - Parameter source: the file name for messages.
    /// - Throws: `SafeTensorsError` for a missing name or a shape or dtype mismatch.
    package func load<Scalar: TensorScalar>(into parameters: [Parameter<Scalar>], source: String) throws(SafeTensorsError) {
        var values: [Tensor<Scalar>] = []
        let expectedType = Scalar.self == Float.self ? "F32" : "F64"
        for parameter in parameters {
            guard let stored = tensors[parameter.name] else {
                throw SafeTensorsError(source: source, rule: .missingTensor(parameter.name))
            }
            guard let tensor = stored.tensor(as: Scalar.self), tensor.shape == parameter.shape else {
                throw SafeTensorsError(
                    source: source,
                    rule: .mismatch(
                        tensor: parameter.name, expected: "\(expectedType) \(parameter.shape)",
                        found: "\(stored.dtype) \(stored.shape)"))
            }
            values.append(tensor)
        }
        for (parameter, value) in zip(parameters, values) { parameter.assign(value) }
    }
}
