"""Hugging Face Trainer: a tiny Gemma 4 decoder (``Gemma4TextConfig``: vocabulary 20, 48 wide,
2 layers (one sliding-window, one full attention), 4 heads with 2 key/value heads, built from
the config, no download; ``Gemma4ForCausalLM``) learns a signal box's train register, the
bell codes two signalmen ring to each other on the block instrument for every train through
an absolute-block section. Each train is eight beats: the rear box calls attention (1), the
advance box acknowledges (1), the rear box offers the train with its class code ("is line
clear?": 4 express, 3-1 stopping passenger, 1-4 freight, 5 light engine, 2-2-1 empty
coaching stock), the advance box accepts by ringing the code back, the rear box rings train
entering section (2), the advance box acknowledges (2), and when the tail lamp passes the
advance box rings train out of section (2-1), acknowledged by the rear box. Each token is a
code and the box that rang it. A register page holds five trains (41 tokens with the start
token); the class of each train follows the timetable pattern (after an express a stopping
train or a freight is likely, light engines come in pairs), so only the offer is uncertain.
AdamW 1.5e-3 with cosine decay and 15 warmup steps, weight decay 0.01, batch 32, 6 epochs
of 960 pages, eval every 30 steps (each epoch) on 240 pages (next-beat accuracy, accuracy on
the acceptance beats), loss every 10 steps, checkpoint every 30 steps
(``register/checkpoint-N/`` with ``trainer_state.json``, the last two kept).
Healthy; numbers in the README."""
import torch
from transformers import Gemma4ForCausalLM, Gemma4TextConfig, Trainer, TrainingArguments

CODES = ["1", "4", "3-1", "1-4", "5", "2-2-1", "2", "2-1"]  # bell codes
CLASSES = [1, 2, 3, 4, 5]  # offer codes: express, stopping, freight, light engine, ECS
TRAINS = 5
# timetable pattern: next class given the last one
NEXT = torch.tensor([[0.05, 0.5, 0.35, 0.05, 0.05],
                     [0.35, 0.2, 0.3, 0.05, 0.1],
                     [0.3, 0.35, 0.2, 0.1, 0.05],
                     [0.05, 0.05, 0.05, 0.8, 0.05],
                     [0.3, 0.4, 0.2, 0.05, 0.05]])


def tok(code, box):  # box 0 rear, 1 advance
    return 3 + 2 * code + box


def pages(n, g):
    seqs, offer = [], []
    for _ in range(n):
        s, o = [2], [0]
        last = int(torch.randint(0, 5, (1,), generator=g))
        for _ in range(TRAINS):
            c = int(torch.multinomial(NEXT[last], 1, generator=g))
            last = c
            k = CLASSES[c]
            s += [tok(0, 0), tok(0, 1), tok(k, 0), tok(k, 1), tok(6, 0), tok(6, 1),
                  tok(7, 1), tok(7, 0)]
            o += [0, 0, 0, 1, 0, 0, 0, 0]  # 1 marks the acceptance beat
        seqs.append(s)
        offer.append(o)
    return torch.tensor(seqs), torch.tensor(offer, dtype=torch.bool)


class Register(torch.utils.data.Dataset):
    def __init__(self, ids):
        self.ids = ids

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones_like(self.ids[i]),
                "labels": self.ids[i]}


def build():
    torch.manual_seed(0)
    config = Gemma4TextConfig(vocab_size=3 + 2 * len(CODES) + 1, hidden_size=48,
                              intermediate_size=96, num_hidden_layers=2, num_attention_heads=4,
                              num_key_value_heads=2, head_dim=12, global_head_dim=12,
                              max_position_embeddings=64, sliding_window=16,
                              layer_types=["sliding_attention", "full_attention"],
                              vocab_size_per_layer_input=3 + 2 * len(CODES) + 1,
                              hidden_size_per_layer_input=8, pad_token_id=0, eos_token_id=1,
                              bos_token_id=2)
    return Gemma4ForCausalLM(config)


def argmax_logits(logits, labels):
    return (logits[0] if isinstance(logits, tuple) else logits).argmax(-1)


ACCEPT = None


def metrics(pred):
    p, y = pred.predictions[:, :-1], pred.label_ids[:, 1:]
    acc = ACCEPT[:, 1:].numpy()
    return {"next_beat_acc": float((p == y).mean()),
            "accept_acc": float((p[acc] == y[acc]).mean())}


def main():
    global ACCEPT
    from _fourhundredtwentyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, _ = pages(960, g)
    iva, ACCEPT = pages(240, g)
    print("classes", torch.bincount(itr[:, 3::8].flatten()).tolist())
    args = TrainingArguments(str(out / "register"), num_train_epochs=6, learning_rate=1.5e-3,
                             warmup_steps=15, lr_scheduler_type="cosine", weight_decay=0.01,
                             per_device_train_batch_size=32, per_device_eval_batch_size=240,
                             logging_steps=10, eval_strategy="steps", eval_steps=30,
                             save_strategy="steps", save_steps=30, save_total_limit=2,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Register(itr),
                      eval_dataset=Register(iva), compute_metrics=metrics,
                      preprocess_logits_for_metrics=argmax_logits)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "register").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": iva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Gemma 4 decoder learning a signal box's train register (block bell"
                " codes between two signalmen), HF Trainer (healthy)")


if __name__ == "__main__":
    main()
