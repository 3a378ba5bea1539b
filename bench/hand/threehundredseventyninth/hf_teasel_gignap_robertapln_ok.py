"""Hugging Face Trainer: a tiny RoBERTa-PreLayerNorm masked-reading model
(``RobertaPreLayerNormConfig``: vocabulary 20, 64 wide, 2 layers, 4 heads, built from the
config, no download; ``RobertaPreLayerNormForMaskedLM``) fills the gaps in a woollen mill's
raising-gig sheet: a piece of cloth runs through the teasel gig 20 times and after each run
the raiser notes the nap height; some runs go unmeasured. The nap rises towards a ceiling set
by the wool (1.5-4 mm) at a pace set by how sharp the teasels in the rods are (fresh heads
raise fast, worn ones slowly: 3-12 runs to reach two thirds of the ceiling); after run 12 the
rods are reset with fresh teasels on half the pieces, which speeds the rise again. Each
reading is one token: nap height in 16 bins of 0.25 mm (tokens 4-19; 0 pad, 1 start, 2 mask).
20 % of the readings of each sheet are masked (a fixed draw per sheet).
AdamW 8e-4 with cosine decay and 12 warmup steps, weight decay 0.05, batch 16, 4 epochs of 800
sheets, eval every 50 steps on 200 sheets (masked-reading accuracy and share within one bin),
loss every 10 steps, checkpoint every 100 steps (``gigsheets/checkpoint-N/`` with
``trainer_state.json``).
Healthy; numbers in the README."""
import torch
from transformers import (
    RobertaPreLayerNormConfig,
    RobertaPreLayerNormForMaskedLM,
    Trainer,
    TrainingArguments,
)

RUNS = 20
BINS = 16


def sheets(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    ceiling = 1.5 + 2.5 * r(n, 1)
    tau = 3 + 9 * r(n, 1)
    reset = r(n, 1) < 0.5
    k = torch.arange(1, RUNS + 1).float().view(1, RUNS)
    nap = ceiling * (1 - torch.exp(-k / tau))
    late = ceiling * (1 - torch.exp(-12 / tau)) + (ceiling - ceiling * (1 - torch.exp(-12 / tau))) \
        * (1 - torch.exp(-(k - 12) / (0.5 * tau)))
    nap = torch.where(reset & (k > 12), late, nap) + 0.06 * torch.randn(n, RUNS, generator=g)
    tok = 4 + (nap / 0.25).floor().clamp(0, BINS - 1).long()
    ids = torch.cat([torch.ones(n, 1, dtype=torch.long), tok], 1)
    masked = torch.cat([torch.zeros(n, 1, dtype=torch.bool), r(n, RUNS) < 0.2], 1)
    labels = torch.where(masked, ids, torch.full_like(ids, -100))
    return torch.where(masked, torch.full_like(ids, 2), ids), labels


class Sheets(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = RobertaPreLayerNormConfig(vocab_size=4 + BINS, hidden_size=64, num_hidden_layers=2,
                                       num_attention_heads=4, intermediate_size=128,
                                       max_position_embeddings=RUNS + 8, hidden_dropout_prob=0.0,
                                       attention_probs_dropout_prob=0.0, pad_token_id=0,
                                       bos_token_id=1, eos_token_id=3)
    return RobertaPreLayerNormForMaskedLM(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    m = y != -100
    return {"masked_acc": float((p[m] == y[m]).mean()),
            "within_one_bin": float((abs(p[m] - y[m]) <= 1).mean())}


def main():
    from _threehundredseventyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = sheets(800, g)
    iva, lva = sheets(200, g)
    print("masked share", (ltr != -100).float().mean().item())
    args = TrainingArguments(str(out / "gigsheets"), num_train_epochs=4, learning_rate=8e-4,
                             warmup_steps=12, lr_scheduler_type="cosine", weight_decay=0.05,
                             per_device_train_batch_size=16, per_device_eval_batch_size=200,
                             logging_steps=10, eval_strategy="steps", eval_steps=50,
                             save_strategy="steps", save_steps=100, save_total_limit=2,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Sheets(itr, ltr),
                      eval_dataset=Sheets(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "gigsheets").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny RoBERTa-PreLayerNorm masked-reading model filling gaps in a teasel"
                " raising gig's nap-height sheet, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
