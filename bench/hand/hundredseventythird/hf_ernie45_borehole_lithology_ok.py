"""Hugging Face Trainer: a tiny ERNIE 4.5 causal language model (``Ernie4_5Config``: vocabulary
16, hidden 32, 2 layers, 2 heads, 1 KV head, built from the config, no download) learns the
driller's lithology log of exploration boreholes: one token per 0.5 m interval (overburden,
clay, sandstone, siltstone, shale, coal, limestone, ...), 32 intervals a hole, after a
"collar" token. Beds keep their lithology for a few intervals (run lengths 2–7) and follow a
stratigraphic order with a few allowed jumps (a first-order chain over beds), so the next
interval is predictable from the ones above it. AdamW 3e-3, 10 warm-up steps then cosine decay,
batch 32, 5 epochs of 640 holes, eval every 20 steps, loss every 5 steps.
Healthy: eval loss 1.36, 0.74, 0.56, 0.50, 0.495 at steps 20–100 (once an epoch; the choice of
the next bed and the run lengths are random, so it cannot go near 0), the train loss 2.37 →
0.49 follows it just above; ``checkpoint-100/``."""
import torch
from transformers import Ernie4_5Config, Ernie4_5ForCausalLM, Trainer, TrainingArguments

V, T = 16, 33
COLLAR = 1
# stratigraphic successor beds of each lithology (ids 3..11) with probabilities
NEXT = {3: ([4, 5], [0.7, 0.3]), 4: ([5, 6], [0.6, 0.4]), 5: ([6, 7], [0.5, 0.5]),
        6: ([7, 8], [0.7, 0.3]), 7: ([8, 5], [0.8, 0.2]), 8: ([9, 6], [0.6, 0.4]),
        9: ([10, 7], [0.7, 0.3]), 10: ([11, 9], [0.6, 0.4]), 11: ([10, 8], [0.5, 0.5])}
RUN = {3: 3, 4: 4, 5: 6, 6: 3, 7: 5, 8: 2, 9: 4, 10: 6, 11: 3}


def holes(n, g):
    x = torch.zeros(n, T, dtype=torch.long)
    for i in range(n):
        seq = [COLLAR]
        bed = int(torch.randint(3, 6, (1,), generator=g))
        while len(seq) < T:
            run = RUN[bed] + int(torch.randint(0, 2, (1,), generator=g))
            seq += [bed] * run
            nxt, p = NEXT[bed]
            bed = nxt[int(torch.multinomial(torch.tensor(p), 1, generator=g))]
        x[i] = torch.tensor(seq[:T])
    return x


class Holes(torch.utils.data.Dataset):
    def __init__(self, x):
        self.x = x

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return {"input_ids": self.x[i], "labels": self.x[i]}


def build():
    torch.manual_seed(0)
    config = Ernie4_5Config(vocab_size=V, hidden_size=32, intermediate_size=64,
                            num_hidden_layers=2, num_attention_heads=2, num_key_value_heads=1,
                            head_dim=16, max_position_embeddings=64, pad_token_id=0,
                            bos_token_id=COLLAR, eos_token_id=2)
    return Ernie4_5ForCausalLM(config)


def main():
    from _hundredseventythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr = holes(640, g)
    xva = holes(128, g)
    args = TrainingArguments(str(out / "lithology"), num_train_epochs=5, learning_rate=3e-3,
                             weight_decay=0.01, warmup_steps=10, lr_scheduler_type="cosine",
                             per_device_train_batch_size=32, per_device_eval_batch_size=128,
                             logging_steps=5, eval_strategy="steps", eval_steps=20,
                             save_strategy="steps", save_steps=50, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Holes(xtr),
                      eval_dataset=Holes(xva))
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "lithology").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": xva[:64], "targets": xva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny ERNIE 4.5 causal LM over borehole lithology logs, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
