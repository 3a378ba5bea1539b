"""Hugging Face Trainer: a tiny Mllama text decoder (``MllamaTextConfig``: vocabulary 12,
48 wide, 2 layers, 4 heads, 2 key/value heads, no cross-attention layers, built from the
config, no download; ``MllamaForCausalLM``, causal) learns the phase log of a trailing
suction hopper dredger, one token per 10-minute watch entry, so the dredge master's
planner can forecast the next entries of a trip. Token 3-6 are the haul distance band to
the dump site (first token of a log); then the cycle repeats: dredging (7) for 2-4 entries
(how fast the hopper fills depends on the sand, not logged), sailing loaded (8) for
distance + 1 entries, dumping (9) for 1 entry, sailing empty (10) for distance entries,
and a turn at the dredge area (11) of 1 entry. Logs of 32 entries, the start phase and
offset random. AdamW 3e-3 with linear decay and 10 warmup steps, weight decay 0.01, batch
32, 3 epochs of 800 logs, eval every 25 steps on 200 logs (loss, next-entry accuracy),
loss every 5 steps, checkpoint every 25 steps (``hopperlog/checkpoint-N/`` with
``trainer_state.json``).
Healthy; numbers in the README."""
import torch
from transformers import MllamaForCausalLM, MllamaTextConfig, Trainer, TrainingArguments

T = 32


def logs(n, g):
    seqs = torch.zeros(n, T, dtype=torch.long)
    for i in range(n):
        d = int(torch.randint(1, 5, (1,), generator=g))
        out = [2 + d]
        while len(out) < T + 40:
            out += [7] * int(torch.randint(2, 5, (1,), generator=g))
            out += [8] * (d + 1) + [9] + [10] * d + [11]
        off = int(torch.randint(1, 12, (1,), generator=g))
        seqs[i] = torch.tensor([out[0]] + out[off:off + T - 1])
    return seqs


class Logs(torch.utils.data.Dataset):
    def __init__(self, ids):
        self.ids = ids

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(T, dtype=torch.long),
                "labels": self.ids[i]}


def build():
    torch.manual_seed(0)
    config = MllamaTextConfig(vocab_size=12, hidden_size=48, intermediate_size=96,
                              num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                              max_position_embeddings=64, cross_attention_layers=[],
                              pad_token_id=0, bos_token_id=1, eos_token_id=2)
    return MllamaForCausalLM(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits[:, :-1].argmax(-1), pred.label_ids[:, 1:]
    return {"next_entry_acc": float((p == y).mean())}


def main():
    from _threehundredtwentyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, iva = logs(800, g), logs(200, g)
    print("tokens", torch.bincount(itr.flatten()))
    args = TrainingArguments(str(out / "hopperlog"), num_train_epochs=3, learning_rate=3e-3,
                             warmup_steps=10, lr_scheduler_type="linear", weight_decay=0.01,
                             per_device_train_batch_size=32, per_device_eval_batch_size=200,
                             logging_steps=5, eval_strategy="steps", eval_steps=25,
                             save_strategy="steps", save_steps=25, save_total_limit=2,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Logs(itr),
                      eval_dataset=Logs(iva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "hopperlog").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": iva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Mllama text decoder learning a hopper dredger's phase log, next-entry"
                " prediction, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
