"""Hugging Face Trainer: a tiny XLM-RoBERTa-XL masked-reading model
(``XLMRobertaXLConfig``: vocabulary 26, 48 wide, 2 layers, 4 heads, built from the config, no
download; ``XLMRobertaXLForMaskedLM``) fills the gaps in a sugar refinery's polarimeter log
of an acid inversion batch: 24 readings of the optical rotation (one every 5 min), some lost
when the sample tube had bubbles. Sucrose turns to invert sugar by first-order kinetics,
the rotation going from +66.5° × c towards -20° × c (c the sugar load, 0.6-1.4 of nominal),
the rate set by the acid dose and the batch temperature (half-life 15-90 min). Each reading
is one token: the rotation binned into 22 steps from -30° to +95° (tokens 4-25; 0 pad, 1 start,
2 mask). 15 % of the readings of each batch are masked (a fixed draw per batch, never the
start token); the model must read the curve's level and decay rate from the rest.
AdamW 1e-3 with linear decay and 20 warmup steps, weight decay 0.01, batch 32, 6 epochs of
960 batches, eval every 30 steps on 240 batches (masked-reading accuracy and share within one
bin), loss every 10 steps, checkpoint every 30 steps (``inversion/checkpoint-N/`` with
``trainer_state.json``).
Healthy; numbers in the README."""
import torch
from transformers import Trainer, TrainingArguments, XLMRobertaXLConfig, XLMRobertaXLForMaskedLM

T = 24
BINS = 22


def batches(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    c = 0.6 + 0.8 * r(n, 1)
    half = 15 + 75 * r(n, 1)
    t = 5.0 * torch.arange(T).float()
    a0, ainf = 66.5 * c, -20.0 * c
    rot = ainf + (a0 - ainf) * torch.exp(-0.6931 * t / half)
    rot = rot + 0.8 * torch.randn(n, T, generator=g)
    tok = 4 + ((rot + 30) / 125 * BINS).floor().clamp(0, BINS - 1).long()
    ids = torch.cat([torch.ones(n, 1, dtype=torch.long), tok], 1)
    masked = torch.cat([torch.zeros(n, 1, dtype=torch.bool), r(n, T) < 0.15], 1)
    labels = torch.where(masked, ids, torch.full_like(ids, -100))
    return torch.where(masked, torch.full_like(ids, 2), ids), labels


class Logs(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(T + 1, dtype=torch.long),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = XLMRobertaXLConfig(vocab_size=4 + BINS, hidden_size=48, num_hidden_layers=2,
                                num_attention_heads=4, intermediate_size=96,
                                max_position_embeddings=T + 8, hidden_dropout_prob=0.0,
                                attention_probs_dropout_prob=0.0, pad_token_id=0,
                                bos_token_id=1, eos_token_id=3)
    return XLMRobertaXLForMaskedLM(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    m = y != -100
    return {"masked_acc": float((p[m] == y[m]).mean()),
            "within_one_bin": float((abs(p[m] - y[m]) <= 1).mean())}


def main():
    from _threehundredtwentyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = batches(960, g)
    iva, lva = batches(240, g)
    print("masked share", (ltr != -100).float().mean().item())
    args = TrainingArguments(str(out / "inversion"), num_train_epochs=6, learning_rate=1e-3,
                             warmup_steps=20, lr_scheduler_type="linear", weight_decay=0.01,
                             per_device_train_batch_size=32, per_device_eval_batch_size=240,
                             logging_steps=10, eval_strategy="steps", eval_steps=30,
                             save_strategy="steps", save_steps=30, save_total_limit=2,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Logs(itr, ltr),
                      eval_dataset=Logs(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "inversion").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny XLM-RoBERTa-XL masked-reading model filling gaps in a polarimeter log"
                " of a sucrose inversion batch, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
