"""Hugging Face Trainer: a tiny Mixtral token classifier (``MixtralConfig``: vocabulary 16,
48 wide, 2 layers, 4 heads with 2 key-value heads, 4 experts with 2 routed per token, built
from the config, no download; ``MixtralForTokenClassification``, causal) reads a cheesemaker's
vat sheet for a batch of tomme, one reading every 5 minutes after renneting (32 readings),
and marks each reading as wait / cut the curd now / overset (cut too late). Each reading
is one token: curd firmness from the knife test in 4 bands (liquid, soft, clean break,
firm) × whey acidity rising or not, tokens 2-9. Cut when the curd has shown a clean break
on two readings in a row, or a clean break while the acidity is rising; overset once the
curd has been firm for 2 readings or more. Firmness climbs one band at a time at the
vat's own rate (milk and rennet vary), acidity rises after the first soft reading.
AdamW 3e-3 with linear decay and 10 warmup steps, batch 32, 4 epochs of 800 vats, eval
every 25 steps on 200 vats (token accuracy, share of cut readings found), loss every 5
steps, checkpoint every 25 steps (``vatsheets/checkpoint-N/`` with ``trainer_state.json``).
Healthy; numbers in the README."""
import torch
from transformers import MixtralConfig, MixtralForTokenClassification, Trainer, TrainingArguments

T = 32


def vats(n, g):
    firm = torch.zeros(n, T, dtype=torch.long)
    acid = torch.zeros(n, T, dtype=torch.long)
    rate = 0.12 + 0.2 * torch.rand(n, generator=g)
    cur = torch.zeros(n, dtype=torch.long)
    for k in range(T):
        up = (torch.rand(n, generator=g) < rate) & (cur < 3)
        cur = cur + up.long()
        firm[:, k] = cur
        acid[:, k] = ((cur >= 1) & (torch.rand(n, generator=g) < 0.6)).long()
    lab = torch.zeros(n, T, dtype=torch.long)
    for k in range(1, T):
        clean_twice = (firm[:, k] == 2) & (firm[:, k - 1] == 2)
        clean_acid = (firm[:, k] == 2) & (acid[:, k] == 1)
        over = (firm[:, k] == 3) & (firm[:, k - 1] == 3)
        lab[:, k] = torch.where(over, 2, (clean_twice | clean_acid).long())
    return 2 + firm * 2 + acid, lab


class Vats(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(T, dtype=torch.long),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = MixtralConfig(vocab_size=16, hidden_size=48, intermediate_size=64,
                           num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                           num_local_experts=4, num_experts_per_tok=2, max_position_embeddings=64,
                           num_labels=3, pad_token_id=0, bos_token_id=1, eos_token_id=1)
    return MixtralForTokenClassification(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    return {"token_accuracy": float((p == y).mean()),
            "cut_found": float(((p == 1) & (y == 1)).sum() / max((y == 1).sum(), 1))}


def main():
    from _threehundredeighteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = vats(800, g)
    iva, lva = vats(200, g)
    print("labels", torch.bincount(ltr.flatten()).tolist())
    args = TrainingArguments(str(out / "vatsheets"), num_train_epochs=4, learning_rate=3e-3,
                             warmup_steps=10, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=200,
                             logging_steps=5, eval_strategy="steps", eval_steps=25,
                             save_strategy="steps", save_steps=25, save_total_limit=2,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Vats(itr, ltr),
                      eval_dataset=Vats(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "vatsheets").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Mixtral token classifier marking when to cut the curd on a cheese vat"
                " sheet, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
