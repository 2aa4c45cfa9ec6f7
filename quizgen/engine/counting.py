"""Trainable parameters of a network, layer by layer: dense, 1-D convolution, batch normalization.

dense n_in → n_out: n_in·n_out weights (+ n_out biases); 1-D conv, kernel k, c_in → c_out
channels: k·c_in·c_out weights (+ c_out biases), one kernel shared along the length;
batch norm over f features: γ and β, 2·f (its running mean and variance are not trained).
A SLIP changes one of these rules, so a wrong count is computed, never typed in.
"""

from __future__ import annotations

from dataclasses import dataclass

KINDS = ("dense", "conv", "batchnorm")
SLIPS = ("biases_forgotten", "in_plus_out", "product_doubled", "input_layer_biases", "bn_running_stats",
         "conv_as_dense", "conv_channels_forgotten")


@dataclass(frozen=True)
class Layer:
    """One layer with the sizes its count needs (inputs as the layer sees them)."""

    kind: str  # one of KINDS
    n_in: int = 0  # dense: input features; conv: input channels; batchnorm: features
    n_out: int = 0  # dense: units; conv: output channels
    kernel: int = 0  # conv only
    length_in: int = 0  # conv only: input length (a valid convolution, stride 1)
    bias: bool = True

    @property
    def length_out(self) -> int:
        return self.length_in - self.kernel + 1


def count(layer: Layer, slip: str | None = None) -> int:
    """The layer's trainable parameters (or what `slip` counts instead)."""
    bias = layer.bias and slip != "biases_forgotten"
    if layer.kind == "batchnorm":
        return (4 if slip == "bn_running_stats" else 2) * layer.n_in  # γ, β (+ running mean, variance)
    if layer.kind == "conv":
        if slip == "conv_as_dense":  # every input position wired to every output position
            n_in, n_out = layer.n_in * layer.length_in, layer.n_out * layer.length_out
            return n_in * n_out + (n_out if bias else 0)
        c_in = 1 if slip == "conv_channels_forgotten" else layer.n_in
        return layer.kernel * c_in * layer.n_out + (layer.n_out if bias else 0)
    if slip == "in_plus_out":
        weights = layer.n_in + layer.n_out
    elif slip == "product_doubled":
        weights = 2 * layer.n_in * layer.n_out
    else:
        weights = layer.n_in * layer.n_out
    return weights + (layer.n_out if bias else 0)


def total(layers: list[Layer], slip: str | None = None, inputs: int = 0) -> int:
    """Every layer's count summed; `input_layer_biases` adds a bias per input feature (`inputs`)."""
    extra = inputs if slip == "input_layer_biases" else 0
    return sum(count(layer, slip) for layer in layers) + extra


def applies(layers: list[Layer], slip: str) -> bool:
    """Whether the network has the part `slip` is about."""
    kinds = {layer.kind for layer in layers}
    if slip == "biases_forgotten":
        return any(layer.bias and layer.kind != "batchnorm" for layer in layers)
    if slip in ("in_plus_out", "product_doubled"):
        return "dense" in kinds
    if slip == "input_layer_biases":
        return layers[0].kind == "dense"
    if slip == "bn_running_stats":
        return "batchnorm" in kinds
    if slip in ("conv_as_dense", "conv_channels_forgotten"):
        return "conv" in kinds
    return False
